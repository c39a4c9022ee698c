; root cause D: an argument made captures(none) at the call site.
declare void @g(ptr)

define void @src(ptr %p) {
  call void @g(ptr %p)
  ret void
}

define void @tgt(ptr %p) {
  call void @g(ptr captures(none) %p)
  ret void
}
; ERROR: Source is more defined than target
