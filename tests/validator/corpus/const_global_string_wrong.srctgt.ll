; The wrong byte of a private constant string.
@s = private unnamed_addr constant [4 x i8] c"abc\00", align 1
define i8 @src() {
  %p = getelementptr inbounds i8, ptr @s, i64 2
  %v = load i8, ptr %p, align 1
  ret i8 %v
}
define i8 @tgt() {
  ret i8 98
}
; ERROR: Value mismatch
