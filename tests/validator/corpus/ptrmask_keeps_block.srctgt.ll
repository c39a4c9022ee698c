; llvm.ptrmask keeps the pointer's block: masking an 8-aligned pointer plus 1 gives it back
define i32 @src(ptr align 8 dereferenceable(8) %p0) {
  %p = getelementptr inbounds i8, ptr %p0, i64 1
  %q = call ptr @llvm.ptrmask.p0.i64(ptr %p, i64 -8)
  %v = load i32, ptr %q
  ret i32 %v
}

define i32 @tgt(ptr align 8 dereferenceable(8) %p0) {
  %v = load i32, ptr %p0
  ret i32 %v
}

declare ptr @llvm.ptrmask.p0.i64(ptr, i64)
; EXPECT: correct
