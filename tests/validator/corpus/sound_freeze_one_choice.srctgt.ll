; root cause H: the source chooses the frozen value once, not once per byte.
define void @src(ptr %p) {
  %f = freeze i8 poison
  store i8 %f, ptr %p
  %q = getelementptr i8, ptr %p, i64 1
  store i8 %f, ptr %q
  ret void
}

define void @tgt(ptr %p) {
  store i8 0, ptr %p
  %q = getelementptr i8, ptr %p, i64 1
  store i8 1, ptr %q
  ret void
}
; ERROR: Mismatch in memory
