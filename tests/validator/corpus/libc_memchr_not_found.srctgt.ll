; memchr returns null when the byte is not among the first n (here the match is at index 1)
define i1 @src(ptr %p) {
  store i8 120, ptr %p
  %q = getelementptr i8, ptr %p, i64 1
  store i8 121, ptr %q
  %r = call ptr @memchr(ptr %p, i32 121, i64 1)
  %c = icmp eq ptr %r, null
  ret i1 %c
}

define i1 @tgt(ptr %p) {
  store i8 120, ptr %p
  %q = getelementptr i8, ptr %p, i64 1
  store i8 121, ptr %q
  ret i1 false
}

declare ptr @memchr(ptr, i32, i64)
; ERROR: Value mismatch
