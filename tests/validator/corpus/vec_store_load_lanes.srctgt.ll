; vectors: lane i is stored at byte offset i*size (little-endian), each lane's bytes in order
define i16 @src(ptr %p) {
  store <2 x i16> <i16 258, i16 772>, ptr %p
  %q = getelementptr i8, ptr %p, i64 1
  %v = load i16, ptr %q
  ret i16 %v
}

define i16 @tgt(ptr %p) {
  store <2 x i16> <i16 258, i16 772>, ptr %p
  ret i16 1025
}
; EXPECT: correct
