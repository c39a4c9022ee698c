; memchr over a constant string finds the first match; a length that ends before it gives null
@s = private constant [4 x i8] c"abc\00"

define ptr @src() {
  %r = call ptr @memchr(ptr @s, i32 98, i64 3)
  ret ptr %r
}

define ptr @tgt() {
  ret ptr getelementptr inbounds (i8, ptr @s, i64 1)
}

declare ptr @memchr(ptr, i32, i64)
; EXPECT: correct
