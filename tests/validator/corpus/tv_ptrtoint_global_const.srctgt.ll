; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
@g = global i32 0
define i64 @src() {
  %i = ptrtoint ptr @g to i64
  ret i64 %i
}
define i64 @tgt() {
  ret i64 72057594037927936
}
; ERROR: Value mismatch
