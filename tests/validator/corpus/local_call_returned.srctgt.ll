; A `returned` parameter gives the local address back as the call's result: refused, even with
; captures(none) (the result would be a local address the taint does not follow).
declare ptr @f(ptr returned captures(none))
@g = global ptr null
define void @src() {
  %x = alloca i32
  %r = call ptr @f(ptr %x)
  store ptr %r, ptr @g
  ret void
}
define void @tgt() {
  %x = alloca i32
  %r = call ptr @f(ptr %x)
  store ptr %r, ptr @g
  ret void
}
; ERROR: Unsupported instruction: %r = call ptr @f(ptr %x) (passes a local address to a call that may capture it)
