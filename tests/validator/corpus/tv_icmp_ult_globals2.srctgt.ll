; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
@g = global i32 0
@h = constant i32 1
define i1 @src() {
  %c = icmp ult ptr @g, @h
  ret i1 %c
}
define i1 @tgt() {
  ret i1 true
}
; ERROR: Value mismatch
