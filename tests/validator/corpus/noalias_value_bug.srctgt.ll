; A real bug next to a noalias parameter is still reported as one (re-checked with the
; noalias parameter in a block of its own).
define i32 @src(ptr noalias %p, i32 %x) {
  store i32 %x, ptr %p
  %y = add i32 %x, 1
  ret i32 %y
}
define i32 @tgt(ptr noalias %p, i32 %x) {
  store i32 %x, ptr %p
  %y = add i32 %x, 2
  ret i32 %y
}
; ERROR: Value mismatch
