define i8 @src(i8 noundef %x) {
  %f = freeze i8 %x
  ret i8 %f
}
define i8 @tgt(i8 %x) {
  ret i8 %x
}
; EXPECT: correct
