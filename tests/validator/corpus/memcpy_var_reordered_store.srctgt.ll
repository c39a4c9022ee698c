; tgt moves a store to the destination from after the memcpy to before it (the copy overwrites it).
declare void @llvm.memcpy.p0.p0.i32(ptr, ptr, i32, i1)
define void @src(ptr %d, ptr %s, i32 %n) {
  call void @llvm.memcpy.p0.p0.i32(ptr %d, ptr %s, i32 %n, i1 false)
  store i8 1, ptr %d
  ret void
}
define void @tgt(ptr %d, ptr %s, i32 %n) {
  store i8 1, ptr %d
  call void @llvm.memcpy.p0.p0.i32(ptr %d, ptr %s, i32 %n, i1 false)
  ret void
}
; ERROR: Mismatch in memory
