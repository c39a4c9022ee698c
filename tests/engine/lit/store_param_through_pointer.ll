; A store of the parameter through a pointer parameter is a use (forced), not an -O0 spill:
; only a store into an alloca of the callee is a spill slot. (Before ANALYSIS_VERSION 3 the
; store was taken for a spill and dropped from the clone; the validator rejected it.)
; RUN: lazycc-lazify %s -O 2 --stage raw --policy all -o - | FileCheck %s

define internal i32 @f(ptr %q, i32 %flag, i32 %x) {
entry:
  %c = icmp eq i32 %flag, 7
  br i1 %c, label %keep, label %out
keep:
  store i32 %x, ptr %q
  ret i32 1
out:
  ret i32 0
}

define i32 @g(ptr %p, i32 %flag, i32 %a, i32 %b) {
entry:
  %x = mul i32 %a, %b
  %r = call i32 @f(ptr %p, i32 %flag, i32 %x)
  ret i32 %r
}

; CHECK-LABEL: define internal i32 @f.lazy.2(
; CHECK: keep:
; CHECK-NEXT: %lz.fp.0 = load ptr, ptr %x
; CHECK-NEXT: %lz.v.0 = call i32 %lz.fp.0(ptr %x)
; CHECK-NEXT: store i32 %lz.v.0, ptr %q
