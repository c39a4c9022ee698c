; floor rounds down, ceil up (the IEEE re-check finds the values).
declare double @llvm.floor.f64(double)
declare double @llvm.ceil.f64(double)
define double @src(double %x) {
  %a = call double @llvm.floor.f64(double %x)
  ret double %a
}
define double @tgt(double %x) {
  %a = call double @llvm.ceil.f64(double %x)
  ret double %a
}
; ERROR: Value mismatch
