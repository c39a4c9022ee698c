; A phi use from a block with several successors: the lazy clone forces on the edge, in a
; block of its own (both switch edges to the join go through it; the join's phis get one
; entry from it), so the default successor does not force.
; RUN: lazycc-lazify %s -O 2 --stage raw --policy all -o - | FileCheck %s

define internal i32 @pick(i32 %mode, i32 %a) {
entry:
  switch i32 %mode, label %other [
    i32 0, label %join
    i32 5, label %join
  ]
other:
  br label %join
join:
  %r = phi i32 [ %a, %entry ], [ %a, %entry ], [ %mode, %other ]
  %k = phi i32 [ 1, %entry ], [ 1, %entry ], [ 3, %other ]
  %s = add i32 %r, %k
  ret i32 %s
}

define i32 @h(i32 %mode, i32 %x) {
  %a = udiv i32 %x, 7
  %r = call i32 @pick(i32 %mode, i32 %a)
  ret i32 %r
}

; CHECK-LABEL: define internal i32 @pick.lazy.1(i32 %mode, ptr %a)
; CHECK: switch i32 %mode, label %other [ i32 0, label %lz.edge.0 i32 5, label %lz.edge.0 ]
; CHECK: lz.edge.0:
; CHECK-NEXT: %lz.fp.0 = load ptr, ptr %a
; CHECK-NEXT: %lz.v.0 = call i32 %lz.fp.0(ptr %a) "lazycc.thunk"="a"
; CHECK-NEXT: br label %join
; CHECK: other:
; CHECK-NOT: call
; CHECK: join:
; CHECK-NEXT: %r = phi i32 [ %lz.v.0, %lz.edge.0 ], [ %mode, %other ]
; CHECK-NEXT: %k = phi i32 [ 1, %lz.edge.0 ], [ 3, %other ]
