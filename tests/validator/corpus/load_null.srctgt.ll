; Speculating a load through a pointer that may be null.
define i32 @src(ptr %p, i1 %c) {
entry:
  br i1 %c, label %l, label %z
l:
  %v = load i32, ptr %p, align 4
  ret i32 %v
z:
  ret i32 0
}
define i32 @tgt(ptr %p, i1 %c) {
entry:
  %v = load i32, ptr %p, align 4
  %r = select i1 %c, i32 %v, i32 0
  ret i32 %r
}
; ERROR: Source is more defined than target
