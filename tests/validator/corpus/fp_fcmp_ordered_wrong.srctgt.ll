; ult is not olt: they differ on NaN operands.
define i1 @src(double %a, double %b) {
  %c = fcmp ult double %a, %b
  ret i1 %c
}
define i1 @tgt(double %a, double %b) {
  %c = fcmp olt double %a, %b
  ret i1 %c
}
; ERROR: Value mismatch
