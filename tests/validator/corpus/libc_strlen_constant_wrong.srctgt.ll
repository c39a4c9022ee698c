; strlen of a constant string is known exactly: the wrong length is found.
@s = private constant [6 x i8] c"hello\00"
declare i64 @strlen(ptr)

define i64 @src() {
  %n = call i64 @strlen(ptr @s)
  ret i64 %n
}

define i64 @tgt() {
  ret i64 4
}
; ERROR: Value mismatch
