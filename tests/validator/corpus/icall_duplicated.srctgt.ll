; tgt calls an unknown function pointer twice: the second call's effects are unrelated.
define void @src(ptr %f) {
  call void %f(i32 1)
  ret void
}
define void @tgt(ptr %f) {
  call void %f(i32 1)
  call void %f(i32 1)
  ret void
}
; ERROR: Source is more defined than target
