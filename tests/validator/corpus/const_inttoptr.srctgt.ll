; A constant `inttoptr (i64 C to ptr)` is the instruction on C: an unknown object at address C.
define ptr @src(i64 %x) {
  %p = inttoptr i64 -1 to ptr
  ret ptr %p
}
define ptr @tgt(i64 %x) {
  ret ptr inttoptr (i64 -1 to ptr)
}
; EXPECT: correct
