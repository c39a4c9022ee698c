define ptr @src(ptr %p, i64 %i) {
  %a = getelementptr inbounds i32, ptr %p, i64 %i
  %b = getelementptr inbounds i8, ptr %a, i64 4
  ret ptr %b
}
define ptr @tgt(ptr %p, i64 %i) {
  %a = getelementptr i32, ptr %p, i64 %i
  %b = getelementptr i8, ptr %a, i64 4
  ret ptr %b
}
; EXPECT: correct
