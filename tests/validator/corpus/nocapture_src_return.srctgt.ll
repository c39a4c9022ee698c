; Returning a captures(none) pointer returns poison.
define ptr @src(ptr captures(none) %p) {
  %q = getelementptr i8, ptr %p, i64 1
  ret ptr %q
}

define ptr @tgt(ptr captures(none) %p) {
  ret ptr null
}
; EXPECT: correct
