; A target may add `returned` to the parameter it always returns.
define nonnull ptr @src(ptr %p) {
  ret ptr %p
}

define nonnull ptr @tgt(ptr returned %p) {
  ret ptr %p
}
; EXPECT: correct
