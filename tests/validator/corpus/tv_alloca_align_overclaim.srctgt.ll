; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define i32 @src(i32 %x) {
  %a = alloca i32, align 4
  store i32 %x, ptr %a, align 4
  %v = load i32, ptr %a, align 4
  ret i32 %v
}
define i32 @tgt(i32 %x) {
  %a = alloca i32, align 4
  store i32 %x, ptr %a, align 64
  %v = load i32, ptr %a, align 4
  ret i32 %v
}
; ERROR: Source is more defined than target
