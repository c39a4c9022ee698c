; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
declare void @h8(i8)
define void @src(i8 %x) {
  call void @h8(i8 %x)
  ret void
}
define void @tgt(i8 %x) {
  call void @h8(i8 range(i8 0, 10) %x)
  ret void
}
; ERROR: Source is more defined than target
