; root cause B: C's `extern int a[];` is `external global [0 x i32]`: its size is unknown, not 0.
@a = external global [0 x i32], align 4

define i32 @src() {
  %p = getelementptr inbounds [0 x i32], ptr @a, i64 0, i64 5
  %v = load i32, ptr %p, align 4
  ret i32 %v
}

define i32 @tgt() {
  ret i32 0
}
; ERROR: Value mismatch
