; x86 psrl: the count is the low 64 bits of the second operand, for every lane; a count of
; the lane width or more gives 0
define <8 x i16> @src(<8 x i16> %v) {
  %r = call <8 x i16> @llvm.x86.sse2.psrl.w(<8 x i16> %v, <8 x i16> <i16 16, i16 0, i16 0, i16 0, i16 5, i16 5, i16 5, i16 5>)
  ret <8 x i16> %r
}

define <8 x i16> @tgt(<8 x i16> %v) {
  ret <8 x i16> zeroinitializer
}

declare <8 x i16> @llvm.x86.sse2.psrl.w(<8 x i16>, <8 x i16>)
; EXPECT: correct
