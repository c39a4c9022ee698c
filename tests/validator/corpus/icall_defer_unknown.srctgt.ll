; Deferring an indirect call with no attributes: it might write memory or not return.
define i32 @src(ptr %f, i32 %x, i1 %c) {
entry:
  %v = call i32 %f(i32 %x)
  br i1 %c, label %use, label %skip
use:
  ret i32 %v
skip:
  ret i32 0
}
define i32 @tgt(ptr %f, i32 %x, i1 %c) {
entry:
  br i1 %c, label %use, label %skip
use:
  %v = call i32 %f(i32 %x)
  ret i32 %v
skip:
  ret i32 0
}
; ERROR: Source is more defined than target
