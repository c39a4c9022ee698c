; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define i1 @src(ptr %p) {
  %q = getelementptr i8, ptr %p, i64 72057594037927936
  %c = icmp eq ptr %q, %p
  ret i1 %c
}
define i1 @tgt(ptr %p) {
  ret i1 true
}
; ERROR: Value mismatch
