; a target may add nonnull where the source is UB on null anyway (the callee needs 4 bytes).
declare void @g(ptr dereferenceable(4))

define void @src(ptr %p) {
  call void @g(ptr %p)
  ret void
}

define void @tgt(ptr nonnull %p) {
  call void @g(ptr %p)
  ret void
}
; EXPECT: correct
