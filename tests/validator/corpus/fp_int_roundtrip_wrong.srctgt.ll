; Not every i32 is exact in float (2^24 + 1 rounds): the round trip is not the identity.
define i32 @src(i32 %x) {
  %f = sitofp i32 %x to float
  %y = fptosi float %f to i32
  ret i32 %y
}
define i32 @tgt(i32 %x) {
  ret i32 %x
}
; ERROR: Value mismatch
