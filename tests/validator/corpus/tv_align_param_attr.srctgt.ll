; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define i32 @src(ptr align 4 %p) {
  %v = load i32, ptr %p, align 1
  ret i32 %v
}
define i32 @tgt(ptr align 4 %p) {
  %v = load i32, ptr %p, align 4
  ret i32 %v
}
; EXPECT: correct
