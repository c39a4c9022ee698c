; A local block holding another local address: the callee could reach that block too: refused.
declare void @f(ptr captures(none))
define i32 @src(i32 %a) {
  %x = alloca ptr
  %y = alloca i32
  store i32 %a, ptr %y
  store ptr %y, ptr %x
  call void @f(ptr %x)
  %v = load i32, ptr %y
  ret i32 %v
}
define i32 @tgt(i32 %a) {
  %x = alloca ptr
  %y = alloca i32
  store i32 %a, ptr %y
  store ptr %y, ptr %x
  call void @f(ptr %x)
  ret i32 %a
}
; ERROR: Unsupported instruction: call void @f(ptr %x) (passes a local address to a call: the block passed may hold a local address)
