; x + 0.0 is not x: -0.0 + 0.0 = +0.0 (a real IEEE counterexample, no NaN needed).
define float @src(float %x) {
  %a = fadd float %x, 0.0
  ret float %a
}
define float @tgt(float %x) {
  ret float %x
}
; ERROR: Value mismatch
