; memcmp reads memory: moving it past a store to that memory changes its result.
declare i32 @memcmp(ptr, ptr, i64)

define i32 @src(ptr %a, ptr %b) {
  %r = call i32 @memcmp(ptr %a, ptr %b, i64 4)
  store i8 1, ptr %a
  ret i32 %r
}

define i32 @tgt(ptr %a, ptr %b) {
  store i8 1, ptr %a
  %r = call i32 @memcmp(ptr %a, ptr %b, i64 4)
  ret i32 %r
}
; ERROR: Value mismatch
