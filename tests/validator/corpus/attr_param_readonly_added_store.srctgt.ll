; ... not to one it writes through, even via a select: a write through it is UB.
define void @src(ptr %p, ptr %q, i1 %c) {
  %r = select i1 %c, ptr %p, ptr %q
  store i8 0, ptr %r
  ret void
}

define void @tgt(ptr readonly %p, ptr %q, i1 %c) {
  %r = select i1 %c, ptr %p, ptr %q
  store i8 0, ptr %r
  ret void
}
; ERROR: Source is more defined than target
