; Reordering two calls that may write memory.
declare void @f()
declare void @g()
define void @src() {
  call void @f()
  call void @g()
  ret void
}
define void @tgt() {
  call void @g()
  call void @f()
  ret void
}
; ERROR: Source is more defined than target
