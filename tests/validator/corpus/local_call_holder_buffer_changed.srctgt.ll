; As local_call_holder_not_passed, but the target overwrites the buffer before the call.
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
  store i32 %b, ptr %buf
  %p = load ptr, ptr %t
  %s = call i32 @sum(ptr %p)
  %r = add i32 %s, %b
  ret i32 %r
}
; ERROR: Source is more defined than target
