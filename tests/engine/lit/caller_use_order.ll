; Caller-side uses of a deferred value become forces of the thunk, which exists only from
; the call on. @twice: two identical unnamed calls pass %v; the first site's later use is the
; second call (its own position, not the first equal instruction's), the second site has a use
; before it and is unsafe. @before: a use before the call makes the site unsafe.
; RUN: lazycc-lazify %s -O 2 --stage raw --policy all --report %t.json -o - | FileCheck %s
; RUN: FileCheck --check-prefix=REPORT %s < %t.json

declare void @g(i32)

define internal void @f(i32 %c, i32 %x) {
  %t = icmp ne i32 %c, 0
  br i1 %t, label %a, label %b
a:
  call void @g(i32 %x)
  ret void
b:
  ret void
}

; CHECK-LABEL: define void @twice(
; CHECK-NOT: mul
; CHECK: store ptr @twice.force.[[H:[0-9a-f]+]], ptr %lz.t.1
; CHECK: call void @f.lazy.1(i32 %c, ptr %lz.t.1)
; CHECK-NEXT: call void @g(i32 0)
; CHECK-NEXT: %lz.v.1 = call i32 @twice.force.[[H]](ptr %lz.t.1)
; CHECK-NEXT: call void @f(i32 %c, i32 %lz.v.1)
; CHECK-NEXT: ret void
define void @twice(i32 %c, i32 %a) {
  %v = mul i32 %a, 3
  call void @f(i32 %c, i32 %v)
  call void @g(i32 0)
  call void @f(i32 %c, i32 %v)
  ret void
}

; CHECK-LABEL: define void @before(
; CHECK-NEXT: %v = mul i32 %a, 3
; CHECK-NEXT: call void @g(i32 %v)
; CHECK-NEXT: call void @f(i32 %c, i32 %v)
define void @before(i32 %c, i32 %a) {
  %v = mul i32 %a, 3
  call void @g(i32 %v)
  call void @f(i32 %c, i32 %v)
  ret void
}

; REPORT: "caller": "twice"
; REPORT: "reason": ""
; REPORT: "caller": "twice"
; REPORT: "reason": "deferred value used before the call in the caller"
; REPORT: "caller": "before"
; REPORT: "reason": "deferred value used before the call in the caller"
