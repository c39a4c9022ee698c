; A thunk-like alloca holds a local buffer's address; the buffer (which holds none) is passed
; to a captures(none) callee through the loaded address: the callee reaches the buffer only.
declare i32 @sum(ptr captures(none)) memory(argmem: read) nounwind willreturn
define i32 @src(i32 %a, i32 %b) {
  %buf = alloca i32
  store i32 %a, ptr %buf
  %s = call i32 @sum(ptr %buf)
  %r = add i32 %s, %b
  ret i32 %r
}
define i32 @tgt(i32 %a, i32 %b) {
  %buf = alloca i32
  %t = alloca ptr
  store i32 %a, ptr %buf
  store ptr %buf, ptr %t
  %p = load ptr, ptr %t
  %s = call i32 @sum(ptr %p)
  %r = add i32 %s, %b
  ret i32 %r
}
; EXPECT: correct
