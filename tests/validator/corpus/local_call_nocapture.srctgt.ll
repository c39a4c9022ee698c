; A local block passed to a captures(none) callee: equal calls on equal bytes give equal
; results; an extra alloca (a thunk's) in the target does not change the call's inputs.
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
  %t = alloca i64
  store i64 7, ptr %t
  store i32 %a, ptr %x
  call void @f(ptr %x)
  %v = load i32, ptr %x
  ret i32 %v
}
; EXPECT: correct
