; Deferring a memory(none) willreturn nounwind call into the using branch: correct.
declare i32 @pure(i32) memory(none) willreturn nounwind
define i32 @src(i32 %x, i1 %c) {
entry:
  %v = call i32 @pure(i32 %x)
  br i1 %c, label %use, label %skip
use:
  ret i32 %v
skip:
  ret i32 0
}
define i32 @tgt(i32 %x, i1 %c) {
entry:
  br i1 %c, label %use, label %skip
use:
  %v = call i32 @pure(i32 %x)
  ret i32 %v
skip:
  ret i32 0
}
; EXPECT: correct
