; Sinking a trapping udiv into the only branch that uses it removes UB: correct.
define i32 @src(i32 %x, i32 %y, i1 %c) {
entry:
  %d = udiv i32 %x, %y
  br i1 %c, label %use, label %skip
use:
  ret i32 %d
skip:
  ret i32 0
}
define i32 @tgt(i32 %x, i32 %y, i1 %c) {
entry:
  br i1 %c, label %use, label %skip
use:
  %d = udiv i32 %x, %y
  ret i32 %d
skip:
  ret i32 0
}
; EXPECT: correct
