; ... reading through a readonly one is not.
define i8 @src(ptr readonly %p) {
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt(ptr readonly %p) {
  unreachable
}
; ERROR: Source is more defined than target
