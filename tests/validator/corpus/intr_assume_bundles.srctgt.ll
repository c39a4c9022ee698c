; assume's operand bundles are assumptions: "align" (with an offset), "nonnull", "noundef".
declare void @llvm.assume(i1)

define i64 @src(ptr %p, i32 %x) {
  call void @llvm.assume(i1 true) [ "align"(ptr %p, i64 8), "nonnull"(ptr %p), "noundef"(i32 %x) ]
  %i = ptrtoint ptr %p to i64
  %m = and i64 %i, 7
  %f = freeze i32 %x
  %z = zext i32 %f to i64
  %r = add i64 %m, %z
  ret i64 %r
}

define i64 @tgt(ptr %p, i32 %x) {
  call void @llvm.assume(i1 true) [ "align"(ptr %p, i64 8), "nonnull"(ptr %p), "noundef"(i32 %x) ]
  %z = zext i32 %x to i64
  ret i64 %z
}
; EXPECT: correct
