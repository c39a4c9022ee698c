; memset of a variable length into an alloca, then a load inside the range: the value is the byte.
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
define i8 @src(i8 %b, i64 %n) {
  %a = alloca [16 x i8]
  %m = and i64 %n, 7
  %k = add i64 %m, 1
  call void @llvm.memset.p0.i64(ptr %a, i8 %b, i64 %k, i1 false)
  %v = load i8, ptr %a
  ret i8 %v
}
define i8 @tgt(i8 %b, i64 %n) {
  ret i8 %b
}
; EXPECT: correct
