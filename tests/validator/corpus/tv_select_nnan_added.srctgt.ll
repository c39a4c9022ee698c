; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define float @src(i1 %c, float %a, float %b) {
  %r = select i1 %c, float %a, float %b
  ret float %r
}
define float @tgt(i1 %c, float %a, float %b) {
  %r = select nnan i1 %c, float %a, float %b
  ret float %r
}
; ERROR: Unsupported instruction
