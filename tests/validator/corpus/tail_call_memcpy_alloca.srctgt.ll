; A `tail` call promises the callee does not access the caller's allocas: a tail memcpy
; between allocas is UB, so the source may be replaced by anything.
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define i64 @src(i64 noundef %x) {
  %a = alloca i64
  %b = alloca i64
  store i64 %x, ptr %a
  tail call void @llvm.memcpy.p0.p0.i64(ptr %b, ptr %a, i64 8, i1 false)
  %v = load i64, ptr %b
  ret i64 %v
}

define i64 @tgt(i64 noundef %x) {
  %a = alloca i64
  %b = alloca i64
  store i64 %x, ptr %a
  tail call void @llvm.memcpy.p0.p0.i64(ptr %b, ptr %a, i64 8, i1 false)
  ret i64 poison
}
; EXPECT: correct
