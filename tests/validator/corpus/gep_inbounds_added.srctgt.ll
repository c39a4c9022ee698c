define ptr @src(ptr %p, i64 %i) {
  %a = getelementptr i8, ptr %p, i64 %i
  ret ptr %a
}
define ptr @tgt(ptr %p, i64 %i) {
  %a = getelementptr inbounds i8, ptr %p, i64 %i
  ret ptr %a
}
; ERROR: Target is more poisonous than source
