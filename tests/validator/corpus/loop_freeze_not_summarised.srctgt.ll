; A loop with `freeze` is a nondeterministic choice per iteration: it is never
; summarised, so its constant trip count exceeds the unroll bound.
define i32 @src(i32 %x) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %f = freeze i32 %x
  %s1 = add i32 %s, %f
  %n = add nuw i32 %i, 1
  %c = icmp ult i32 %n, 100
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %s1
}
define i32 @tgt(i32 %x) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %f = freeze i32 %x
  %s1 = add i32 %s, %f
  %n = add nuw i32 %i, 1
  %c = icmp ult i32 %n, 100
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %s1
}
; ERROR: The source program doesn't reach a return instruction. Consider increasing the unroll factor if it has loops
