; floor(floor(x)) = floor(x): a counterexample with floor as an unknown is not real (the IEEE
; re-check refutes it), so never "incorrect".
declare double @llvm.floor.f64(double)
define double @src(double %x) {
  %a = call double @llvm.floor.f64(double %x)
  ret double %a
}
define double @tgt(double %x) {
  %a = call double @llvm.floor.f64(double %x)
  %b = call double @llvm.floor.f64(double %a)
  ret double %b
}
; ERROR: Couldn't prove the correctness of the transformation
