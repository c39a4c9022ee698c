; root cause A: `external constant` and `thread_local` externs are objects of their type's size.
@c = external constant i64, align 8
@t = external thread_local global i32, align 4

define i64 @src() {
  %a = load i64, ptr @c, align 8
  %b = load i32, ptr @t, align 4
  %z = zext i32 %b to i64
  %r = add i64 %a, %z
  ret i64 %r
}

define i64 @tgt() {
  %a = load i64, ptr @c, align 8
  ret i64 %a
}
; ERROR: Value mismatch
