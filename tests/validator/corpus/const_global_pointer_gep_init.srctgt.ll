; a constant pointer initialized with a constant GEP into a string, itself not named by the
; functions: the string's bytes are known through it.
@.str = constant [6 x i8] c"hello\00", align 1
@aa = constant ptr getelementptr inbounds ([6 x i8], ptr @.str, i32 0, i32 1)

define i8 @src() {
  %aa = load ptr, ptr @aa
  %p = getelementptr i8, ptr %aa, i32 1
  %c = load i8, ptr %p
  ret i8 %c
}

define i8 @tgt() {
  ret i8 108
}
; EXPECT: correct
