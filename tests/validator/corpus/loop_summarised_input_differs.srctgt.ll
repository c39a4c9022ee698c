; The same loop code, but tgt feeds it a different input: the summaries are
; different applications of one uninterpreted function, so nothing is proved.
@g = global [4096 x i32] zeroinitializer, align 4
define i32 @src(i32 %x, i32 %y) {
entry:
  %x1 = add i32 %x, 0
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %latch ]
  %ix = zext i32 %i to i64
  %p = getelementptr inbounds [4096 x i32], ptr @g, i64 0, i64 %ix
  %v = load i32, ptr %p, align 4
  %hit = icmp eq i32 %v, %x1
  br i1 %hit, label %found, label %latch
latch:
  %w = add i32 %v, %x1
  store i32 %w, ptr %p, align 4
  %n = add nuw i32 %i, 1
  %c = icmp ult i32 %n, 4096
  br i1 %c, label %loop, label %exit
found:
  br label %exit
exit:
  %r = phi i32 [ %i, %found ], [ -1, %latch ]
  ret i32 %r
}
define i32 @tgt(i32 %x, i32 %y) {
entry:
  %x1 = add i32 %x, 1
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %latch ]
  %ix = zext i32 %i to i64
  %p = getelementptr inbounds [4096 x i32], ptr @g, i64 0, i64 %ix
  %v = load i32, ptr %p, align 4
  %hit = icmp eq i32 %v, %x1
  br i1 %hit, label %found, label %latch
latch:
  %w = add i32 %v, %x1
  store i32 %w, ptr %p, align 4
  %n = add nuw i32 %i, 1
  %c = icmp ult i32 %n, 4096
  br i1 %c, label %loop, label %exit
found:
  br label %exit
exit:
  %r = phi i32 [ %i, %found ], [ -1, %latch ]
  ret i32 %r
}
; ERROR: Source is more defined than target
