; Passing a block whose lifetime ended is the callee's business (UB if it accesses it): the
; target may not end the lifetime before the call.
declare i32 @f(ptr captures(none))
declare void @llvm.lifetime.start.p0(i64, ptr)
declare void @llvm.lifetime.end.p0(i64, ptr)
define i32 @src(i32 %a) {
  %x = alloca i32
  call void @llvm.lifetime.start.p0(i64 4, ptr %x)
  store i32 %a, ptr %x
  %r = call i32 @f(ptr %x)
  call void @llvm.lifetime.end.p0(i64 4, ptr %x)
  ret i32 %r
}
define i32 @tgt(i32 %a) {
  %x = alloca i32
  call void @llvm.lifetime.start.p0(i64 4, ptr %x)
  store i32 %a, ptr %x
  call void @llvm.lifetime.end.p0(i64 4, ptr %x)
  %r = call i32 @f(ptr %x)
  ret i32 %r
}
; ERROR: Source is more defined than target
