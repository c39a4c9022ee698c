; x + -0.0 is x except for NaN payloads, which lazycc-tv does not model: it must not say
; "incorrect" (alive-tv proves it), and it may not say "correct" without modelling NaN.
define double @src(double %x) {
  %a = fadd double %x, -0.0
  ret double %a
}
define double @tgt(double %x) {
  ret double %x
}
; ERROR: Couldn't prove the correctness of the transformation
