; ... but not when it is overwritten before the return.
@x = global ptr null

define void @src(ptr captures(none) %p) {
  store ptr %p, ptr @x
  store ptr null, ptr @x
  ret void
}

define void @tgt(ptr captures(none) %p) {
  store ptr @x, ptr @x
  ret void
}
; ERROR: Mismatch in memory
