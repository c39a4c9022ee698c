; root cause E: storing a captures(none) parameter to memory the caller can see is UB.
@x = global ptr null

define void @src(ptr captures(none) %p) {
  %poison = getelementptr inbounds i8, ptr null, i32 1
  store ptr %poison, ptr @x
  ret void
}

define void @tgt(ptr captures(none) %p) {
  store ptr %p, ptr @x
  ret void
}
; ERROR: Source is more defined than target
