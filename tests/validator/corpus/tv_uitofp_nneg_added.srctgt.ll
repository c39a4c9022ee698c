; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define float @src(i32 %x) {
  %r = uitofp i32 %x to float
  ret float %r
}
define float @tgt(i32 %x) {
  %r = uitofp nneg i32 %x to float
  ret float %r
}
; ERROR: Target is more poisonous than source
