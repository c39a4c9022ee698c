; A loop of %n <= 3 iterations summing; target adds nsw (never overflows here) -- within bound.
define i32 @src(i32 %x) {
entry:
  %small = and i32 %x, 3
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %s1 = add i32 %s, %i
  %i1 = add i32 %i, 1
  %c = icmp ult i32 %i1, %small
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %s1
}
define i32 @tgt(i32 %x) {
entry:
  %small = and i32 %x, 3
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %s1 = add nsw i32 %s, %i
  %i1 = add nuw i32 %i, 1
  %c = icmp ult i32 %i1, %small
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %s1
}
; EXPECT: correct
