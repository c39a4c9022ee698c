; alloca T, N: N elements; an access past them is UB (here the second of two i32s is fine, the
; third is not)
define i32 @src() {
  %a = alloca i32, i32 2
  %q = getelementptr i32, ptr %a, i64 2
  store i32 1, ptr %q
  ret i32 0
}

define i32 @tgt() {
  ret i32 1
}
; EXPECT: correct
