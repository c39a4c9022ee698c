; The source may choose undef = 0 and divide by zero: the target may do anything.
define i8 @src(i8 %x) {
  %d = udiv i8 %x, undef
  ret i8 %d
}
define i8 @tgt(i8 %x) {
  unreachable
}
; EXPECT: correct
