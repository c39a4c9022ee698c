; vectors: shufflevector picks lanes of both inputs; a poison mask lane is poison
define <4 x i8> @src(<4 x i8> %a, <4 x i8> %b) {
  %s = shufflevector <4 x i8> %a, <4 x i8> %b, <4 x i32> <i32 7, i32 poison, i32 0, i32 4>
  ret <4 x i8> %s
}

define <4 x i8> @tgt(<4 x i8> %a, <4 x i8> %b) {
  %x = extractelement <4 x i8> %b, i64 3
  %y = extractelement <4 x i8> %a, i64 0
  %z = extractelement <4 x i8> %b, i64 0
  %r0 = insertelement <4 x i8> poison, i8 %x, i64 0
  %r1 = insertelement <4 x i8> %r0, i8 %y, i64 2
  %r2 = insertelement <4 x i8> %r1, i8 %z, i64 3
  ret <4 x i8> %r2
}
; EXPECT: correct
