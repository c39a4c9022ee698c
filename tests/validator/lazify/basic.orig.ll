define internal i32 @callee(i32 %a, i1 %c) noinline {
entry:
  br i1 %c, label %use, label %skip
use:
  %r = add i32 %a, 1
  ret i32 %r
skip:
  ret i32 0
}

define i32 @caller(i32 %x, i32 %y, i1 %c) {
entry:
  %e = udiv i32 %x, %y
  %r = call i32 @callee(i32 %e, i1 %c)
  ret i32 %r
}
