; a call's dereferenceable result is allocated (and not poison) when the call returns, so a load
; of it may be hoisted out of its branch.
declare ptr @f()

define i16 @src(i1 %c) {
entry:
  %p = call dereferenceable(2) ptr @f()
  br i1 %c, label %a, label %exit
a:
  %v1 = load i16, ptr %p, align 1
  br label %exit
exit:
  %val = phi i16 [ %v1, %a ], [ 0, %entry ]
  ret i16 %val
}

define i16 @tgt(i1 %c) {
  %p = call dereferenceable(2) ptr @f()
  %v1 = load i16, ptr %p, align 1
  %val = select i1 %c, i16 %v1, i16 0
  ret i16 %val
}
; EXPECT: correct
