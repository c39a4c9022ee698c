; root cause J: a 1-byte memcpy copies poison bits and pointer provenance; an i8 load/store
; does not.  Our bytes cannot tell: never "correct".
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define void @src(ptr %d, ptr %s) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 1, i1 false)
  ret void
}

define void @tgt(ptr %d, ptr %s) {
  %v = load i8, ptr %s
  store i8 %v, ptr %d
  ret void
}
; ERROR: Unsupported instruction: memcpy/memmove replaced by loads and stores
