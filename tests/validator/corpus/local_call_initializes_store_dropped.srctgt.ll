; `initializes` on the callee's parameter is its promise: the model does not rely on it, so a
; store before the call that only the promise makes dead may not be dropped.
declare void @init(ptr captures(none) initializes((0, 4))) memory(argmem: readwrite) nounwind willreturn
define i32 @src(i32 %a) {
  %x = alloca i32
  store i32 %a, ptr %x
  call void @init(ptr %x)
  %v = load i32, ptr %x
  ret i32 %v
}
define i32 @tgt(i32 %a) {
  %x = alloca i32
  call void @init(ptr %x)
  %v = load i32, ptr %x
  ret i32 %v
}
; ERROR: Source is more defined than target
