; The callee writes the memory the deferred computation reads: no rewrite.
; RUN: lazycc-lazify %s -O 2 --stage raw --policy all --report %t.json -o - | FileCheck %s
; RUN: FileCheck --check-prefix=REPORT %s < %t.json

define internal i32 @costly(ptr %p) mustprogress nounwind willreturn memory(argmem: read) {
entry:
  %v = load i32, ptr %p
  ret i32 %v
}

define internal i32 @f(ptr %q, i32 %flag, i32 %x) nounwind {
entry:
  store i32 1, ptr %q
  %c = icmp eq i32 %flag, 7
  br i1 %c, label %use, label %out
use:
  ret i32 %x
out:
  ret i32 0
}

; CHECK-LABEL: define i32 @g(
; CHECK: call i32 @costly(ptr %p)
; CHECK-NOT: lazy
define i32 @g(ptr %p, i32 %flag) nounwind {
entry:
  %x = call i32 @costly(ptr %p)
  %a = call i32 @f(ptr %p, i32 %flag, i32 %x)
  ret i32 %a
}
; REPORT: "reason": "callee @f: write to parameter 0 of @g may alias read of parameter 0 of @g
