; Reading through a readnone parameter is UB.
define i8 @src(ptr readnone %p) {
  %q = getelementptr i8, ptr %p, i64 1
  %v = load i8, ptr %q
  ret i8 %v
}

define i8 @tgt(ptr readnone %p) {
  unreachable
}
; EXPECT: correct
