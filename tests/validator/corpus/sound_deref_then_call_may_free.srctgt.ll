; dereferenceable at a call does not keep the memory allocated after it: the callee may free
; it, so a load may not be hoisted out of its branch past the call.
declare void @f(ptr dereferenceable(4))

define i32 @src(i1 %c, ptr %p) {
entry:
  call void @f(ptr %p)
  br i1 %c, label %a, label %exit
a:
  %v1 = load i32, ptr %p, align 1
  br label %exit
exit:
  %val = phi i32 [ %v1, %a ], [ 0, %entry ]
  ret i32 %val
}

define i32 @tgt(i1 %c, ptr %p) {
  call void @f(ptr %p)
  %v1 = load i32, ptr %p, align 1
  %val = select i1 %c, i32 %v1, i32 0
  ret i32 %val
}
; ERROR: Source is more defined than target
