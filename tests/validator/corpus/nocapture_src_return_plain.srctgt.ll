; ... a pointer without the attribute is returned as it is.
define ptr @src(ptr %p) {
  %q = getelementptr i8, ptr %p, i64 1
  ret ptr %q
}

define ptr @tgt(ptr %p) {
  ret ptr null
}
; ERROR: Value mismatch
