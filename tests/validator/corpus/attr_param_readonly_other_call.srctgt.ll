; ... not the result of a call without `returned`.
declare ptr @f2(ptr)

define void @src(ptr readonly %p) {
  %p2 = call ptr @f2(ptr %p)
  store i8 0, ptr %p2
  ret void
}

define void @tgt(ptr readonly %p) {
  %p2 = call ptr @f2(ptr %p)
  unreachable
}
; ERROR: Source is more defined than target
