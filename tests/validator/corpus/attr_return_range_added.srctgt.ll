define i8 @src(i8 %x) {
  ret i8 %x
}
define range(i8 0, 10) i8 @tgt(i8 %x) {
  ret i8 %x
}
; ERROR: Target is more poisonous than source
