define void @src(ptr %p) {
  call void @llvm.memset.p0.i64(ptr align 4 %p, i8 0, i64 4, i1 false)
  ret void
}
define void @tgt(ptr %p) {
  store i32 0, ptr %p, align 4
  ret void
}
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
; EXPECT: correct
