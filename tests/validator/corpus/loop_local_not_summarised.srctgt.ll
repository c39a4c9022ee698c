; A loop that writes a local array is not summarised (local memory is not an
; input/output of summaries): unrolled, its trip count exceeds the bound.
define i32 @src(i32 %x) {
entry:
  %a = alloca [100 x i32], align 4
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %n, %loop ]
  %p = getelementptr inbounds [100 x i32], ptr %a, i64 0, i64 %i
  store i32 %x, ptr %p, align 4
  %n = add nuw i64 %i, 1
  %c = icmp ult i64 %n, 100
  br i1 %c, label %loop, label %exit
exit:
  %v = load i32, ptr %a, align 4
  ret i32 %v
}
define i32 @tgt(i32 %x) {
entry:
  %a = alloca [100 x i32], align 4
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %n, %loop ]
  %p = getelementptr inbounds [100 x i32], ptr %a, i64 0, i64 %i
  store i32 %x, ptr %p, align 4
  %n = add nuw i64 %i, 1
  %c = icmp ult i64 %n, 100
  br i1 %c, label %loop, label %exit
exit:
  %v = load i32, ptr %a, align 4
  ret i32 %v
}
; ERROR: The source program doesn't reach a return instruction. Consider increasing the unroll factor if it has loops
