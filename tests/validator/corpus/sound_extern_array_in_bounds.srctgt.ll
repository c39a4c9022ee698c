; root cause B, the other side: an access to an unknown-size array is not assumed in bounds, so
; a target may not drop the access (it may be UB only for some sizes).  Same code: correct.
@a = external global [0 x i32], align 4

define i32 @src(i64 %i) {
  %p = getelementptr inbounds [0 x i32], ptr @a, i64 0, i64 %i
  %v = load i32, ptr %p, align 4
  ret i32 %v
}

define i32 @tgt(i64 %i) {
  %p = getelementptr inbounds [0 x i32], ptr @a, i64 0, i64 %i
  %v = load i32, ptr %p, align 4
  ret i32 %v
}
; EXPECT: correct
