; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define i1 @src(ptr %p) {
  %a = alloca i32
  %c = icmp ult ptr %p, %a
  ret i1 %c
}
define i1 @tgt(ptr %p) {
  ret i1 true
}
; ERROR: Value mismatch
