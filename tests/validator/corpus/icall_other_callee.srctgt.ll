; tgt calls through a different function pointer: a different (unknown) function.
define i32 @src(ptr %f, ptr %g, i32 %x) {
  %v = call i32 %f(i32 %x) memory(none) willreturn nounwind
  ret i32 %v
}
define i32 @tgt(ptr %f, ptr %g, i32 %x) {
  %v = call i32 %g(i32 %x) memory(none) willreturn nounwind
  ret i32 %v
}
; ERROR: Source is more defined than target
