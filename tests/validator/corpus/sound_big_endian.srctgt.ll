; root cause K: big-endian layouts store the most significant byte first.
target datalayout = "E-m:e-p:64:64-i64:64-n32:64"

define i8 @src(ptr %p) {
  store i32 1, ptr %p
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt(ptr %p) {
  store i32 1, ptr %p
  ret i8 1
}
; ERROR: Value mismatch
