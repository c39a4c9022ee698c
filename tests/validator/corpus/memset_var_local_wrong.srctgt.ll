; a variable-length memset writes only [p, p+len): a byte stored at a[1] before it survives when len < 2.
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
define i8 @src(i8 noundef %b, i64 %n) {
  %a = alloca [16 x i8]
  %p = getelementptr i8, ptr %a, i64 1
  store i8 9, ptr %p
  %m = and i64 %n, 7
  call void @llvm.memset.p0.i64(ptr %a, i8 %b, i64 %m, i1 false)
  %v = load i8, ptr %p
  ret i8 %v
}
define i8 @tgt(i8 noundef %b, i64 %n) {
  ret i8 %b
}
; ERROR: Value mismatch
