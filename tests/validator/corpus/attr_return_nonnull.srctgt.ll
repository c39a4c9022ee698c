define nonnull ptr @src(ptr %p) {
  ret ptr %p
}
define nonnull ptr @tgt(ptr %p) {
  %f = freeze ptr %p
  ret ptr %f
}
; EXPECT: correct
