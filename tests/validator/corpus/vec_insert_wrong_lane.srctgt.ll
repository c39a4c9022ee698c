; vectors: insertelement replaces exactly the indexed lane
define <4 x i32> @src(<4 x i32> %v, i32 %x) {
  %r = insertelement <4 x i32> %v, i32 %x, i32 1
  ret <4 x i32> %r
}

define <4 x i32> @tgt(<4 x i32> %v, i32 %x) {
  %r = insertelement <4 x i32> %v, i32 %x, i32 2
  ret <4 x i32> %r
}
; ERROR: Target is more poisonous than source
