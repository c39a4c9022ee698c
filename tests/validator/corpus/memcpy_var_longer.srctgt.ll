; tgt copies one more byte than src: more UB (bounds) or more memory written.
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
define void @src(ptr %d, ptr %s, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  ret void
}
define void @tgt(ptr %d, ptr %s, i64 %n) {
  %m = add i64 %n, 1
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %m, i1 false)
  ret void
}
; ERROR: Source is more defined than target
