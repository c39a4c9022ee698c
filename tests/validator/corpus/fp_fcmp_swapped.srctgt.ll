; fcmp olt a, b == fcmp ogt b, a for every input, NaN included (fcmp is exact).
define i1 @src(float %a, float %b) {
  %c = fcmp olt float %a, %b
  ret i1 %c
}
define i1 @tgt(float %a, float %b) {
  %c = fcmp ogt float %b, %a
  ret i1 %c
}
; EXPECT: correct
