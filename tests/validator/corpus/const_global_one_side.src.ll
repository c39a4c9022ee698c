; A constant global that only the source module has (the pass deleted it) holds its initializer.
@g = internal constant i32 7

define i32 @f() {
  %v = load i32, ptr @g
  ret i32 %v
}
; EXPECT: correct
