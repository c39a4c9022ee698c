; Deferring a store to caller-visible memory into one branch.
define void @src(ptr %p, i32 %x, i1 %c) {
entry:
  store i32 %x, ptr %p, align 4
  br i1 %c, label %a, label %b
a:
  ret void
b:
  ret void
}
define void @tgt(ptr %p, i32 %x, i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  store i32 %x, ptr %p, align 4
  ret void
b:
  ret void
}
; ERROR: Mismatch in memory
