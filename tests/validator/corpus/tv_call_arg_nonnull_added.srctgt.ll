; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
declare void @h(ptr)
define void @src(ptr %p) {
  call void @h(ptr %p)
  ret void
}
define void @tgt(ptr %p) {
  call void @h(ptr nonnull %p)
  ret void
}
; ERROR: Source is more defined than target
