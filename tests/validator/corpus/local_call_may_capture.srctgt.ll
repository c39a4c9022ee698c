; A callee that may capture the local address could reach the block after the call: refused.
declare void @f(ptr)
define i32 @src(i32 %a) {
  %x = alloca i32
  store i32 %a, ptr %x
  call void @f(ptr %x)
  %v = load i32, ptr %x
  ret i32 %v
}
define i32 @tgt(i32 %a) {
  %x = alloca i32
  store i32 %a, ptr %x
  call void @f(ptr %x)
  %v = load i32, ptr %x
  ret i32 %v
}
; ERROR: Unsupported instruction: call void @f(ptr %x) (passes a local address to a call that may capture it)
