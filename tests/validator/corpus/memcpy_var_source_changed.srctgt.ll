; tgt writes the memcpy's source bytes before the copy: the copied bytes differ.
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
define void @src(ptr %d, ptr %s, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  store i8 7, ptr %s
  ret void
}
define void @tgt(ptr %d, ptr %s, i64 %n) {
  store i8 7, ptr %s
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  ret void
}
; ERROR: Mismatch in memory
