; strlen of a local buffer is modelled (no longer "passes a local address to a call").
declare i64 @strlen(ptr)

define i64 @src() {
  %b = alloca [4 x i8]
  store i32 6513249, ptr %b
  %n = call i64 @strlen(ptr %b)
  ret i64 %n
}

define i64 @tgt() {
  ret i64 3
}
; EXPECT: correct
