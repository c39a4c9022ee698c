; root cause I: memcpy with destination == source is allowed (LangRef), a no-op; it used to be
; UB in the source, so any target passed.
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define i32 @src(ptr dereferenceable(4) %p) {
  call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %p, i64 4, i1 false)
  ret i32 1
}

define i32 @tgt(ptr dereferenceable(4) %p) {
  call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %p, i64 4, i1 false)
  ret i32 2
}
; ERROR: Value mismatch
