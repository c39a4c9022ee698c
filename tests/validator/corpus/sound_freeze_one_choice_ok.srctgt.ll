; root cause H, the other side: one choice for both bytes refines.
define void @src(ptr %p) {
  %f = freeze i8 poison
  store i8 %f, ptr %p
  %q = getelementptr i8, ptr %p, i64 1
  store i8 %f, ptr %q
  ret void
}

define void @tgt(ptr %p) {
  store i8 7, ptr %p
  %q = getelementptr i8, ptr %p, i64 1
  store i8 7, ptr %q
  ret void
}
; EXPECT: correct
