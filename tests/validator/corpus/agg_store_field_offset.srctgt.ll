; aggregates: a struct field lies at its layout offset (i32 after i8 is at 4, not 1)
define i32 @src(ptr %p) {
  store { i8, i32 } { i8 1, i32 7 }, ptr %p, align 4
  %q = getelementptr i8, ptr %p, i64 4
  %v = load i32, ptr %q
  ret i32 %v
}

define i32 @tgt(ptr %p) {
  store { i8, i32 } { i8 1, i32 7 }, ptr %p, align 4
  ret i32 8
}
; ERROR: Value mismatch
