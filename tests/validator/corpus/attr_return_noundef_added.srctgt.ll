define i8 @src(i8 %x) {
  ret i8 %x
}
define noundef i8 @tgt(i8 %x) {
  ret i8 %x
}
; ERROR: Source is more defined than target
