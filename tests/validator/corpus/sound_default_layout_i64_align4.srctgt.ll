; LLVM's default layout (no datalayout line) aligns i64 to 4: {i32, i64} has its i64 at 4.
define ptr @src(ptr %p) {
  %q = getelementptr { i32, i64 }, ptr %p, i64 0, i32 1
  ret ptr %q
}

define ptr @tgt(ptr %p) {
  %q = getelementptr i8, ptr %p, i64 8
  ret ptr %q
}
; ERROR: Value mismatch
