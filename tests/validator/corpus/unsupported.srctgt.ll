define i32 @src(ptr %p) {
  %v = atomicrmw add ptr %p, i32 1 seq_cst
  ret i32 %v
}
define i32 @tgt(ptr %p) {
  %v = atomicrmw add ptr %p, i32 1 seq_cst
  ret i32 %v
}
; ERROR: Unsupported instruction: %v = atomicrmw add ptr %p, i32 1 seq_cst, align 4
