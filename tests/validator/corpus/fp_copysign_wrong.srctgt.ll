; llvm.copysign takes the sign of its second operand, not its first
define float @src(float %x, float %y) {
  %a = call float @llvm.copysign.f32(float %x, float %y)
  ret float %a
}

define float @tgt(float %x, float %y) {
  %a = call float @llvm.copysign.f32(float %y, float %x)
  ret float %a
}

declare float @llvm.copysign.f32(float, float)
; ERROR: Value mismatch
