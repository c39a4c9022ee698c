; Precise callee effects (issue 11 item 3) on SSA callees (direct and phi uses): only writes
; that may run before the first force of the parameter count.
; RUN: lazycc-lazify %s -O 2 --stage raw --policy all --report %t.json -o - | FileCheck %s
; RUN: FileCheck --check-prefix=REPORT %s < %t.json

define internal i32 @costly(ptr %p) mustprogress nounwind willreturn memory(argmem: read) {
entry:
  %v = load i32, ptr %p
  ret i32 %v
}

declare void @log(i32)

; The only use is the argument of @log (which may write anything) in the error branch,
; followed by a store to the memory @costly reads: both after the force. Safe.
define internal i32 @f(ptr %q, i32 %flag, i32 %x) {
entry:
  %c = icmp eq i32 %flag, 7
  br i1 %c, label %err, label %out
err:
  call void @log(i32 %x)
  store i32 1, ptr %q
  ret i32 -1
out:
  ret i32 0
}

; A phi use forces at the end of the incoming block %a: the store in %use (reached only
; through %a) comes after it. Safe.
define internal i32 @p_safe(ptr %q, i32 %flag, i32 %x) {
entry:
  %c = icmp eq i32 %flag, 7
  br i1 %c, label %a, label %out
a:
  br label %use
use:
  %r = phi i32 [ %x, %a ]
  store i32 1, ptr %q
  ret i32 %r
out:
  ret i32 0
}

; The force of a phi use is at the end of the incoming block, after that block's store. Unsafe.
define internal i32 @p_unsafe(ptr %q, i32 %flag, i32 %x) {
entry:
  %c = icmp eq i32 %flag, 7
  br i1 %c, label %a, label %out
a:
  store i32 1, ptr %q
  br label %use
use:
  %r = phi i32 [ %x, %a ]
  ret i32 %r
out:
  ret i32 0
}

; The use is itself a write: a store of the parameter into the memory @costly reads. The
; force precedes the store. Safe.
define internal i32 @s_safe(ptr %q, i32 %flag, i32 %x) {
entry:
  %c = icmp eq i32 %flag, 7
  br i1 %c, label %keep, label %out
keep:
  store i32 %x, ptr %q
  ret i32 1
out:
  ret i32 0
}

; CHECK-LABEL: define i32 @g(
; CHECK-NOT: call i32 @costly
; CHECK: call i32 @f.lazy.2(ptr %p, i32 %flag, ptr %lz.t.{{[0-9]+}})
; CHECK: call i32 @p_safe.lazy.2(ptr %p, i32 %flag, ptr %lz.t.{{[0-9]+}})
; CHECK: %z = call i32 @costly(ptr %p)
; CHECK: call i32 @p_unsafe(ptr %p, i32 %flag, i32 %z)
; CHECK: call i32 @s_safe.lazy.2(ptr %p, i32 %flag, ptr %lz.t.{{[0-9]+}})
define i32 @g(ptr %p, i32 %flag) {
entry:
  %x = call i32 @costly(ptr %p)
  %a = call i32 @f(ptr %p, i32 %flag, i32 %x)
  %y = call i32 @costly(ptr %p)
  %b = call i32 @p_safe(ptr %p, i32 %flag, i32 %y)
  %z = call i32 @costly(ptr %p)
  %c = call i32 @p_unsafe(ptr %p, i32 %flag, i32 %z)
  %s1 = add i32 %a, %b
  %s2 = add i32 %s1, %c
  %w = call i32 @costly(ptr %p)
  %d = call i32 @s_safe(ptr %p, i32 %flag, i32 %w)
  %s3 = add i32 %s2, %d
  ret i32 %s3
}

; The clone forces right before the call to @log; the store follows it.
; CHECK-LABEL: define internal i32 @f.lazy.2(
; CHECK: err:
; CHECK-NEXT: %lz.fp.0 = load ptr, ptr %x
; CHECK-NEXT: %lz.v.0 = call i32 %lz.fp.0(ptr %x)
; CHECK-NEXT: call void @log(i32 %lz.v.0)
; CHECK-NEXT: store i32 1, ptr %q

; The phi use forces at the end of %a, before its branch to %use and the store there.
; CHECK-LABEL: define internal i32 @p_safe.lazy.2(
; CHECK: a:
; CHECK-NEXT: %lz.fp.0 = load ptr, ptr %x
; CHECK-NEXT: %lz.v.0 = call i32 %lz.fp.0(ptr %x)
; CHECK-NEXT: br label %use
; CHECK: use:
; CHECK-NEXT: %r = phi i32 [ %lz.v.0, %a ]
; CHECK-NEXT: store i32 1, ptr %q

; CHECK-LABEL: define internal i32 @s_safe.lazy.2(
; CHECK: keep:
; CHECK-NEXT: %lz.fp.0 = load ptr, ptr %x
; CHECK-NEXT: %lz.v.0 = call i32 %lz.fp.0(ptr %x)
; CHECK-NEXT: store i32 %lz.v.0, ptr %q

; REPORT: "reason": "callee @p_unsafe: write to parameter 0 of @g may alias read of parameter 0 of @g
