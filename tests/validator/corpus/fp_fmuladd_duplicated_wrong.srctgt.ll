; Two fmuladd may differ (one fused, one not): the source's single one is one value.
declare float @llvm.fmuladd.f32(float, float, float)
define i1 @src(float %x, float %y, float %z) {
  %a = call float @llvm.fmuladd.f32(float %x, float %y, float %z)
  %e = fcmp oeq float %a, %a
  %o = fcmp ord float %a, 0.0
  %r = icmp eq i1 %e, %o
  ret i1 %r
}
define i1 @tgt(float %x, float %y, float %z) {
  %a = call float @llvm.fmuladd.f32(float %x, float %y, float %z)
  %b = call float @llvm.fmuladd.f32(float %x, float %y, float %z)
  %e = fcmp oeq float %a, %b
  %o = fcmp ord float %a, 0.0
  %r = icmp eq i1 %e, %o
  ret i1 %r
}
; ERROR: Couldn't prove the correctness of the transformation
