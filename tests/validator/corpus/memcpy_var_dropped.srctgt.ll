; tgt drops a memcpy of non-constant length.
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
define void @src(ptr %d, ptr %s, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  ret void
}
define void @tgt(ptr %d, ptr %s, i64 %n) {
  ret void
}
; ERROR: Mismatch in memory
