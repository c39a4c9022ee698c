; trunc(-0.5) is -0.0, not +0.0: sitofp(fptosi) is not trunc.
declare float @llvm.trunc.f32(float)
define float @src(float %x) {
  %a = call float @llvm.trunc.f32(float %x)
  ret float %a
}
define float @tgt(float %x) {
  %i = fptosi float %x to i32
  %a = sitofp i32 %i to float
  ret float %a
}
; ERROR: Target is more poisonous than source
