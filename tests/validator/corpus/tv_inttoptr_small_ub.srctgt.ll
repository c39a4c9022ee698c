; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define i32 @src(i64 %x) {
  %p = inttoptr i64 %x to ptr
  %v = load i32, ptr %p
  ret i32 %v
}
define i32 @tgt(i64 %x) {
  %c = icmp ult i64 %x, 72057594037927936
  br i1 %c, label %a, label %b
a:
  ret i32 0
b:
  %p = inttoptr i64 %x to ptr
  %v = load i32, ptr %p
  ret i32 %v
}
; ERROR: Value mismatch
