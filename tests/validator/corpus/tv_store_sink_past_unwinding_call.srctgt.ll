; @n may unwind (no nounwind): the caller then sees @g without the sunk store.
@g = global i32 0
declare void @n() memory(none)
define void @src() {
  store i32 1, ptr @g
  call void @n()
  ret void
}
define void @tgt() {
  call void @n()
  store i32 1, ptr @g
  ret void
}
; ERROR: Mismatch in memory
