; A constant global's initializer is the initial memory: the load folds.
@cg = constant i32 5
define i32 @src() {
  %v = load i32, ptr @cg
  ret i32 %v
}
define i32 @tgt() {
  ret i32 5
}
; EXPECT: correct
