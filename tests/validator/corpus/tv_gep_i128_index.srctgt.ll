; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define ptr @src(ptr %p, i128 %i) {
  %q = getelementptr i8, ptr %p, i128 %i
  ret ptr %q
}
define ptr @tgt(ptr %p, i128 %i) {
  %q = getelementptr i8, ptr %p, i128 %i
  ret ptr %q
}
; EXPECT: correct
