; root cause L: llvm.sideeffect is an effect (inaccessible memory), not a no-op.
declare void @llvm.sideeffect()

define i4 @src(ptr %p) {
  call void @llvm.sideeffect()
  ret i4 6
}

define i4 @tgt(ptr %p) {
  ret i4 6
}
; ERROR: Mismatch in memory
