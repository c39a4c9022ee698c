; The callee may write the block it is passed: a load after the call may not be forwarded
; from the store before it.
declare void @f(ptr captures(none))
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
  ret i32 %a
}
; ERROR: Target is more poisonous than source
