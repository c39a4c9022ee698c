; Every i16 is exact in float, so the round trip is the identity.
define i16 @src(i16 %x) {
  %f = sitofp i16 %x to float
  %y = fptosi float %f to i16
  ret i16 %y
}
define i16 @tgt(i16 %x) {
  ret i16 %x
}
; EXPECT: correct
