; A local address passed to an indirect call: refused (locals never escape in this model).
define i32 @src(ptr %f) {
  %a = alloca i32
  store i32 1, ptr %a
  call void %f(ptr %a)
  %v = load i32, ptr %a
  ret i32 %v
}
define i32 @tgt(ptr %f) {
  %a = alloca i32
  store i32 1, ptr %a
  call void %f(ptr %a)
  ret i32 1
}
; ERROR: Unsupported instruction: call void %f(ptr %a) (indirect call)
