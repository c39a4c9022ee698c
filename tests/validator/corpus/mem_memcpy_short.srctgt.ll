define void @src(ptr %d, ptr %s) {
  call void @llvm.memcpy.p0.p0.i64(ptr align 4 %d, ptr align 4 %s, i64 4, i1 false)
  ret void
}
define void @tgt(ptr %d, ptr %s) {
  %v = load i16, ptr %s, align 4
  store i16 %v, ptr %d, align 4
  ret void
}
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
; ERROR: Mismatch in memory
