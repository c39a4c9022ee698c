define i32 @src(i32 %x) {
  ret i32 %x
}
define i32 @tgt(i64 %x) {
  %t = trunc i64 %x to i32
  ret i32 %t
}
; ERROR: Signature mismatch between src and tgt
