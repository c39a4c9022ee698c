; llvm.floor is a function of its operand's bits: equal calls give equal results.
declare double @llvm.floor.f64(double)
define double @src(double %x, i1 %c) {
  %a = call double @llvm.floor.f64(double %x)
  %b = call double @llvm.floor.f64(double %x)
  %r = select i1 %c, double %a, double %b
  ret double %r
}
define double @tgt(double %x, i1 %c) {
  %a = call double @llvm.floor.f64(double %x)
  ret double %a
}
; EXPECT: correct
