; Deferring a call to an unknown declaration: it might not return (or write memory).
declare i32 @unknown(i32)
define i32 @src(i32 %x, i1 %c) {
entry:
  %v = call i32 @unknown(i32 %x)
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
  %v = call i32 @unknown(i32 %x)
  ret i32 %v
skip:
  ret i32 0
}
; ERROR: Source is more defined than target
