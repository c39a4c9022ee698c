; tgt adds !noundef to a load: immediate UB on poison memory, src has none.
define i32 @src(ptr %p) {
  %v = load i32, ptr %p, align 4
  ret i32 %v
}
define i32 @tgt(ptr %p) {
  %v = load i32, ptr %p, align 4, !noundef !0
  ret i32 %v
}
!0 = !{}
; ERROR: Source is more defined than target
