; memcpy with a non-constant length, sunk into the branch whose memory effects are observed only
; after it (same bytes copied): correct.  Lengths are modelled exactly (array lambda).
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
define i32 @src(ptr %d, ptr %s, i64 %n, i1 %c) {
entry:
  %k = add i64 %n, 1
  br i1 %c, label %a, label %b
a:
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %k, i1 false)
  %v = load i8, ptr %d
  %r = zext i8 %v to i32
  ret i32 %r
b:
  ret i32 0
}
define i32 @tgt(ptr %d, ptr %s, i64 %n, i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  %k = add i64 %n, 1
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %k, i1 false)
  %v = load i8, ptr %d
  %r = zext i8 %v to i32
  ret i32 %r
b:
  ret i32 0
}
; EXPECT: correct
