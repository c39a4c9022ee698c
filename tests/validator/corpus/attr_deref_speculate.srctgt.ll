; dereferenceable(4) (which implies noundef) makes the load safe to speculate
define i32 @src(ptr dereferenceable(4) %p, i1 %c) {
  br i1 %c, label %a, label %b
a:
  %v = load i32, ptr %p, align 1
  ret i32 %v
b:
  ret i32 0
}
define i32 @tgt(ptr dereferenceable(4) %p, i1 %c) {
  %v = load i32, ptr %p, align 1
  %r = select i1 %c, i32 %v, i32 0
  ret i32 %r
}
; EXPECT: correct
