; A 4096-iteration search loop (two exits, a live-out value, reads and writes
; memory) is identical on both sides: it is summarised, not unrolled, and the
; change after it (sinking a udiv) is proved without hitting the bound.
@g = global [4096 x i32] zeroinitializer, align 4
define i32 @src(i32 %x, i32 %y) {
entry:
  %d = udiv i32 %x, %y
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %latch ]
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
  %u = icmp eq i32 %r, 7
  br i1 %u, label %use, label %no
use:
  ret i32 %d
no:
  ret i32 %r
}
define i32 @tgt(i32 %x, i32 %y) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %latch ]
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
  %u = icmp eq i32 %r, 7
  br i1 %u, label %use, label %no
use:
  %d = udiv i32 %x, %y
  ret i32 %d
no:
  ret i32 %r
}
; EXPECT: correct
