; fmuladd is fused or not, each time: both fma and fmul+fadd refine it.
declare double @llvm.fmuladd.f64(double, double, double)
declare double @llvm.fma.f64(double, double, double)
define double @src(double %x, double %y, double %z, i1 noundef %c) {
  %a = call double @llvm.fmuladd.f64(double %x, double %y, double %z)
  ret double %a
}
define double @tgt(double %x, double %y, double %z, i1 noundef %c) {
  br i1 %c, label %f, label %u
f:
  %a = call double @llvm.fma.f64(double %x, double %y, double %z)
  ret double %a
u:
  %m = fmul double %x, %y
  %b = fadd double %m, %z
  ret double %b
}
; EXPECT: correct
