; aggregates: storing a struct writes poison to its padding bytes
define i8 @src(ptr %p, { i8, i32 } %v) {
  store i32 0, ptr %p, align 4
  store { i8, i32 } %v, ptr %p, align 4
  %q = getelementptr i8, ptr %p, i64 1
  %b = load i8, ptr %q
  ret i8 %b
}

define i8 @tgt(ptr %p, { i8, i32 } %v) {
  store i32 0, ptr %p, align 4
  store { i8, i32 } %v, ptr %p, align 4
  ret i8 poison
}
; EXPECT: correct
