; a target may not add !range to a load (it makes values outside the range poison).
define i32 @src(ptr %p) {
  %v = load i32, ptr %p
  ret i32 %v
}

define i32 @tgt(ptr %p) {
  %v = load i32, ptr %p, !range !0
  ret i32 %v
}

!0 = !{i32 0, i32 3}
; ERROR: Target is more poisonous than source
