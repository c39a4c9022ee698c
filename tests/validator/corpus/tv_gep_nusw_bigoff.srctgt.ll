; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define ptr @src(ptr %p) {
  %q = getelementptr inbounds i8, ptr %p, i64 1
  %r = getelementptr nusw i8, ptr %q, i64 9223372036854775807
  ret ptr %r
}
define ptr @tgt(ptr %p) {
  ret ptr null
}
; ERROR: Value mismatch
