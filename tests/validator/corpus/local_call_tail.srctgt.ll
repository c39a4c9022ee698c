; A tail call may not access the caller's allocas (UB, not modelled): refused.
declare void @f(ptr captures(none))
define void @src(i32 %a) {
  %x = alloca i32
  store i32 %a, ptr %x
  tail call void @f(ptr %x)
  ret void
}
define void @tgt(i32 %a) {
  %x = alloca i32
  store i32 %a, ptr %x
  tail call void @f(ptr %x)
  ret void
}
; ERROR: Unsupported instruction: tail call void @f(ptr %x) (passes a local address to a call: tail call)
