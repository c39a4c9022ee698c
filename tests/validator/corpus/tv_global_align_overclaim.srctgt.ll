; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
@g = global i32 0, align 4
define i32 @src() {
  %v = load i32, ptr @g, align 4
  ret i32 %v
}
define i32 @tgt() {
  %v = load i32, ptr @g, align 16
  ret i32 %v
}
; ERROR: Source is more defined than target
