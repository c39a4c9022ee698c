; The callee may read the block it is passed: the store before the call is not dead.
declare i32 @f(ptr captures(none))
define i32 @src(i32 %a) {
  %x = alloca i32
  store i32 %a, ptr %x
  %r = call i32 @f(ptr %x)
  ret i32 %r
}
define i32 @tgt(i32 %a) {
  %x = alloca i32
  %r = call i32 @f(ptr %x)
  ret i32 %r
}
; ERROR: Source is more defined than target
