; The callee pointer is loaded from memory in both (same value): the calls match, and a store
; after the call stays after it.
define ptr @src(ptr %strm, i32 %n) {
  %fp = load ptr, ptr %strm
  %op = getelementptr i8, ptr %strm, i64 8
  %o = load ptr, ptr %op
  %r = call ptr %fp(ptr noundef %o, i32 noundef %n, i32 noundef 1)
  %dst = getelementptr i8, ptr %strm, i64 16
  store ptr %r, ptr %dst
  ret ptr %r
}
define ptr @tgt(ptr %strm, i32 %n) {
  %op = getelementptr i8, ptr %strm, i64 8
  %o = load ptr, ptr %op
  %fp = load ptr, ptr %strm
  %r = call ptr %fp(ptr noundef %o, i32 noundef %n, i32 noundef 1)
  %dst = getelementptr i8, ptr %strm, i64 16
  store ptr %r, ptr %dst
  ret ptr %r
}
; EXPECT: correct
