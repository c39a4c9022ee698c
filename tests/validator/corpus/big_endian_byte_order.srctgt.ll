; big-endian: the first byte of an i32 holds its most significant bits.
target datalayout = "E-m:e-p:64:64-i64:64-n32:64"

define i8 @src(ptr %p) {
  store i32 16909060, ptr %p
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt(ptr %p) {
  store i32 16909060, ptr %p
  ret i8 1
}
; EXPECT: correct
