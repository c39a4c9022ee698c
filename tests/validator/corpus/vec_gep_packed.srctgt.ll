; a GEP into a vector steps by the element's store size (vectors are packed), not its alignment
target datalayout = "e-f16:32"

define ptr @src(ptr %p) {
  %q = getelementptr <4 x half>, ptr %p, i64 0, i64 3
  ret ptr %q
}

define ptr @tgt(ptr %p) {
  %q = getelementptr i8, ptr %p, i64 6
  ret ptr %q
}
; EXPECT: correct
