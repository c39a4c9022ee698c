define i64 @src(ptr %p, ptr %q, i16 %v) {
  store ptr %p, ptr %q, align 8
  store i16 %v, ptr %p, align 2
  %l = load i16, ptr %p, align 2
  %z = zext i16 %l to i64
  ret i64 %z
}
define i64 @tgt(ptr %p, ptr %q, i16 %v) {
  store ptr %p, ptr %q, align 8
  store i16 %v, ptr %p, align 2
  %z = zext i16 %v to i64
  ret i64 %z
}
; EXPECT: correct
