; strlen of a local buffer: a different byte gives a different length (exact prefix).
define i64 @src(i8 %c) {
  %b = alloca [4 x i8], align 1
  store i8 %c, ptr %b, align 1
  %p1 = getelementptr i8, ptr %b, i64 1
  store i8 0, ptr %p1, align 1
  %n = call i64 @strlen(ptr %b)
  ret i64 %n
}

define i64 @tgt(i8 %c) {
  %b = alloca [4 x i8], align 1
  store i8 0, ptr %b, align 1
  %n = call i64 @strlen(ptr %b)
  ret i64 %n
}

declare i64 @strlen(ptr) nounwind willreturn memory(argmem: read)
; ERROR: Value mismatch
