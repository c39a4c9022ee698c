; llvm.scmp equals llvm.ucmp on lanes that a `range` parameter attribute keeps non-negative
define <2 x i8> @src(<2 x i32> range(i32 0, 10) %x, <2 x i32> range(i32 0, 10) %y) {
  %c = call <2 x i8> @llvm.scmp.v2i8.v2i32(<2 x i32> %x, <2 x i32> %y)
  ret <2 x i8> %c
}

define <2 x i8> @tgt(<2 x i32> range(i32 0, 10) %x, <2 x i32> range(i32 0, 10) %y) {
  %c = call <2 x i8> @llvm.ucmp.v2i8.v2i32(<2 x i32> %x, <2 x i32> %y)
  ret <2 x i8> %c
}

declare <2 x i8> @llvm.scmp.v2i8.v2i32(<2 x i32>, <2 x i32>)
declare <2 x i8> @llvm.ucmp.v2i8.v2i32(<2 x i32>, <2 x i32>)
; EXPECT: correct
