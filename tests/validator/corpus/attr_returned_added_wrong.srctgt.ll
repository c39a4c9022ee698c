; ... not to one it does not return: the target then returns poison.
define i32 @src(i32 %x, i32 %y) {
  ret i32 %y
}

define i32 @tgt(i32 returned %x, i32 %y) {
  ret i32 %y
}
; ERROR: Target is more poisonous than source
