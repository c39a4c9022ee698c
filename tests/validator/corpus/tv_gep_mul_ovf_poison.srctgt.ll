; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define ptr @src(ptr %p, i64 %i) {
  %q = getelementptr i32, ptr %p, i64 %i
  ret ptr %q
}
define ptr @tgt(ptr %p, i64 %i) {
  %q = getelementptr i32, ptr %p, i64 %i
  %c = icmp sgt i64 %i, 2305843009213693951
  %r = select i1 %c, ptr null, ptr %q
  ret ptr %r
}
; ERROR: Value mismatch
