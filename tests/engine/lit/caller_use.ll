; Direct (SSA) parameter uses, a phi use in the callee, and a caller-side use of the
; deferred value after the call (it becomes a force of the same thunk).
; RUN: lazycc-lazify %s -O 2 --stage raw --policy all -o - | FileCheck %s

define internal i32 @costly(ptr %p, i32 %n) mustprogress nounwind willreturn memory(argmem: read) {
entry:
  %v = load i32, ptr %p
  %r = mul i32 %v, %n
  ret i32 %r
}

define internal i32 @f(i32 %flag, i32 %x) nounwind {
entry:
  %c = icmp eq i32 %flag, 7
  br i1 %c, label %use, label %join

use:
  br label %join

join:
  %r = phi i32 [ %x, %use ], [ 0, %entry ]
  ret i32 %r
}

; CHECK-LABEL: define i32 @g(
; CHECK: %lz.t.1 = alloca { ptr, i8, i32, ptr, i32 }, align 8
; CHECK-NOT: call i32 @costly
; CHECK: store ptr @g.force.[[H:[0-9a-f]+]], ptr %lz.t.1
; CHECK: store i8 0, ptr %lz.t.1.done
; CHECK: store ptr %p, ptr %lz.t.1.e0
; CHECK: store i32 %n, ptr %lz.t.1.e1
; CHECK: %a = call i32 @f.lazy.1(i32 %flag, ptr %lz.t.1)
; CHECK-NEXT: %lz.v.1 = call i32 @g.force.[[H]](ptr %lz.t.1)
; CHECK-NEXT: %b = add i32 %a, %lz.v.1
define i32 @g(ptr %p, i32 %n, i32 %flag) nounwind {
entry:
  %x = call i32 @costly(ptr %p, i32 %n)
  %a = tail call i32 @f(i32 %flag, i32 %x)
  %b = add i32 %a, %x
  ret i32 %b
}

; CHECK-LABEL: define internal i32 @f.lazy.1(i32 %flag, ptr %x)
; CHECK: use:
; CHECK-NEXT: %lz.fp.0 = load ptr, ptr %x
; CHECK-NEXT: %lz.v.0 = call i32 %lz.fp.0(ptr %x)
; CHECK-NEXT: br label %join
; CHECK: %r = phi i32 [ %lz.v.0, %use ], [ 0, %entry ]

; CHECK-LABEL: define internal i32 @g.force.
; CHECK-SAME: (ptr %thunk) nounwind {
; CHECK: %d0 = call i32 @costly(ptr %e0, i32 %e1)
; CHECK: store i8 1, ptr %done.p
