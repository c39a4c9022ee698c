define i8 @src(i8 %x) {
  %f = freeze i8 %x
  %g = freeze i8 %f
  %r = add i8 %g, %f
  ret i8 %r
}
define i8 @tgt(i8 %x) {
  %f = freeze i8 %x
  %r = shl i8 %f, 1
  ret i8 %r
}
; EXPECT: correct
