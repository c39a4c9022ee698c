; A deferred computation that spans blocks: the pure call in the entry block and the
; multiplication in the join block are both deferred to the call in the join block, across an
; arm that writes memory the computation does not read. The thunk captures %a (and nothing
; computed in between); the entry block keeps no trace of the call.
; RUN: lazycc-lazify %s -O 2 --stage raw --policy all -o - | FileCheck %s

@gl = global i32 0
@other = global i32 0

define internal i32 @f(i32 %c, i32 %x) {
  %t = icmp ne i32 %c, 0
  br i1 %t, label %a, label %b
a:
  ret i32 %x
b:
  ret i32 0
}

define internal i32 @rd(i32 %k) mustprogress nounwind willreturn memory(read) {
  %v = load i32, ptr @gl
  %r = add i32 %v, %k
  ret i32 %r
}

; CHECK-LABEL: define i32 @h(
; CHECK: entry:
; CHECK-NOT: call i32 @rd
; CHECK: br i1 %w, label %write, label %join
; CHECK: write:
; CHECK-NEXT: store i32 7, ptr @other
; CHECK: join:
; CHECK-NOT: mul i32
; CHECK: store ptr @h.force.[[H:[0-9a-f]+]], ptr %lz.t.1
; CHECK: store i32 %a, ptr %lz.t.1.e0
; CHECK-NEXT: %r = call i32 @f.lazy.1(i32 %c, ptr %lz.t.1)
define i32 @h(i32 %c, i32 %a, i1 %w) {
entry:
  %v = call i32 @rd(i32 %a)
  br i1 %w, label %write, label %join
write:
  store i32 7, ptr @other
  br label %join
join:
  %s = mul i32 %v, 3
  %r = call i32 @f(i32 %c, i32 %s)
  ret i32 %r
}

; CHECK-LABEL: define internal i32 @h.force.
; CHECK-SAME: (ptr %thunk)
; CHECK: %e0 = load i32, ptr %e0.p
; CHECK-NEXT: %d0 = call i32 @rd(i32 %e0)
; CHECK-NEXT: %d1 = mul i32 %d0, 3
