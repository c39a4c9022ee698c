; A function that promises not to read its arguments' memory has UB when it does.
define i32 @src(ptr %p) memory(read, argmem: none) {
  %q = getelementptr i8, ptr %p, i64 4
  %v = load i32, ptr %q, align 4
  ret i32 %v
}

define i32 @tgt(ptr %p) memory(read, argmem: none) {
  unreachable
}
; EXPECT: correct
