; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define i1 @src(ptr %p) {
  %i = ptrtoint ptr %p to i64
  %c = icmp slt i64 %i, 0
  ret i1 %c
}
define i1 @tgt(ptr %p) {
  ret i1 false
}
; ERROR: Value mismatch
