; A function that returns with a captures(none) pointer still in non-local memory has UB.
@x = global ptr null

define void @src(ptr captures(none) %p) {
  %q = getelementptr i8, ptr %p, i64 1
  store ptr %q, ptr @x
  ret void
}

define void @tgt(ptr captures(none) %p) {
  store ptr null, ptr @x
  ret void
}
; EXPECT: correct
