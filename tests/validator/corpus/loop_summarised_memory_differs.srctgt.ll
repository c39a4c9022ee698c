; tgt hoists a store to memory the loop reads above the loop: the loop's
; memory input differs, so its outputs are unrelated.
@g = global [4096 x i32] zeroinitializer, align 4
define i32 @src(i32 %x, i32 %y) {
entry:
  br label %pre
pre:
  br label %loop
loop:
  %i = phi i32 [ 0, %pre ], [ %n, %latch ]
  %ix = zext i32 %i to i64
  %p = getelementptr inbounds [4096 x i32], ptr @g, i64 0, i64 %ix
  %v = load i32, ptr %p, align 4
  %hit = icmp eq i32 %v, %x
  br i1 %hit, label %found, label %latch
latch:
  %w = add i32 %v, %x
  store i32 %w, ptr %p, align 4
  %n = add nuw i32 %i, 1
  %c = icmp ult i32 %n, 4096
  br i1 %c, label %loop, label %exit
found:
  br label %exit
exit:
  %r = phi i32 [ %i, %found ], [ -1, %latch ]
  store i32 %y, ptr @g, align 4
  ret i32 %r
}
define i32 @tgt(i32 %x, i32 %y) {
entry:
  store i32 %y, ptr @g, align 4
  br label %pre
pre:
  br label %loop
loop:
  %i = phi i32 [ 0, %pre ], [ %n, %latch ]
  %ix = zext i32 %i to i64
  %p = getelementptr inbounds [4096 x i32], ptr @g, i64 0, i64 %ix
  %v = load i32, ptr %p, align 4
  %hit = icmp eq i32 %v, %x
  br i1 %hit, label %found, label %latch
latch:
  %w = add i32 %v, %x
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
