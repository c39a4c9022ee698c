; llvm.sqrt on a vector is the scalar one per lane.
declare <2 x double> @llvm.sqrt.v2f64(<2 x double>)
declare double @llvm.sqrt.f64(double)
define double @src(<2 x double> %v) {
  %s = call <2 x double> @llvm.sqrt.v2f64(<2 x double> %v)
  %r = extractelement <2 x double> %s, i32 1
  ret double %r
}
define double @tgt(<2 x double> %v) {
  %e = extractelement <2 x double> %v, i32 1
  %r = call double @llvm.sqrt.f64(double %e)
  ret double %r
}
; EXPECT: correct
