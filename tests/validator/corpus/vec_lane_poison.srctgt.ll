; vectors: poison is per lane; a shift too wide poisons only its own lane
define <2 x i8> @src(<2 x i8> %a) {
  %s = shl <2 x i8> %a, <i8 1, i8 9>
  ret <2 x i8> %s
}

define <2 x i8> @tgt(<2 x i8> %a) {
  ret <2 x i8> poison
}
; ERROR: Target is more poisonous than source
