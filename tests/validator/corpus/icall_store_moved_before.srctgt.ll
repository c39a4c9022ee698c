; A store moved from after an indirect call to before it: the call may read that memory.
define void @src(ptr %f, ptr %p) {
  call void %f(i32 1)
  store i32 5, ptr %p
  ret void
}
define void @tgt(ptr %f, ptr %p) {
  store i32 5, ptr %p
  call void %f(i32 1)
  ret void
}
; ERROR: Source is more defined than target
