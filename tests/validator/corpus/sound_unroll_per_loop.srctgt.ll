; --unroll K bounds each loop (alive-tv's -src-unroll=K), not all back edges together: two
; loops of 3 back edges each are within K = 4 (6 in all), so the wrong constant is found.
define i32 @src() {
entry:
  br label %l1
l1:
  %i = phi i32 [ 0, %entry ], [ %i1, %l1 ]
  %i1 = add i32 %i, 1
  %c1 = icmp ult i32 %i1, 4
  br i1 %c1, label %l1, label %mid
mid:
  br label %l2
l2:
  %j = phi i32 [ %i1, %mid ], [ %j1, %l2 ]
  %j1 = add i32 %j, 1
  %c2 = icmp ult i32 %j1, 8
  br i1 %c2, label %l2, label %out
out:
  ret i32 %j1
}

define i32 @tgt() {
  ret i32 7
}
; ERROR: Value mismatch
