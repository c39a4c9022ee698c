; vectors: division by zero in any lane is UB for the whole instruction
define <2 x i8> @src(<2 x i8> %a, <2 x i8> %b) {
  %d = udiv <2 x i8> %a, %b
  ret <2 x i8> %d
}

define <2 x i8> @tgt(<2 x i8> %a, <2 x i8> %b) {
  %d = udiv <2 x i8> %a, <i8 1, i8 1>
  ret <2 x i8> %d
}
; ERROR: Value mismatch
