define i8 @src(i1 %c, i8 %a) {
entry:
  br i1 %c, label %t, label %f
t:
  %x = add i8 %a, 1
  br label %j
f:
  br label %j
j:
  %r = phi i8 [ %x, %t ], [ %a, %f ]
  ret i8 %r
}
define i8 @tgt(i1 %c, i8 %a) {
  %z = zext i1 %c to i8
  %r = add i8 %a, %z
  ret i8 %r
}
; EXPECT: correct
