; the same with a dereferenceable parameter: it holds on entry, not after a call that may free.
declare void @g()

define i32 @src(i1 %c, ptr dereferenceable(4) %p) {
entry:
  call void @g()
  br i1 %c, label %a, label %exit
a:
  %v1 = load i32, ptr %p, align 1
  br label %exit
exit:
  %val = phi i32 [ %v1, %a ], [ 0, %entry ]
  ret i32 %val
}

define i32 @tgt(i1 %c, ptr dereferenceable(4) %p) {
  call void @g()
  %v1 = load i32, ptr %p, align 1
  %val = select i1 %c, i32 %v1, i32 0
  ret i32 %val
}
; ERROR: Source is more defined than target
