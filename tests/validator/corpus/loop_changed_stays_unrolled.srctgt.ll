; A loop that differs (tgt adds `nsw` inside) is not summarised: unrolled, and
; the extra poison is found within the bound.
define i32 @src(i32 %x, i32 %m) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %loop ]
  %s = phi i32 [ %x, %entry ], [ %s1, %loop ]
  %s1 = add i32 %s, %x
  %n = add nuw i32 %i, 1
  %c = icmp ult i32 %n, %m
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %s1
}
define i32 @tgt(i32 %x, i32 %m) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %loop ]
  %s = phi i32 [ %x, %entry ], [ %s1, %loop ]
  %s1 = add nsw i32 %s, %x
  %n = add nuw i32 %i, 1
  %c = icmp ult i32 %n, %m
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %s1
}
; ERROR: Target is more poisonous than source
