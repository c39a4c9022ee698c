; a frozen undef is one value: the same freeze on both sides verifies
define i1 @src() {
  %v = freeze i1 undef
  ret i1 %v
}

define i1 @tgt() {
  %v = freeze i1 undef
  ret i1 %v
}
; EXPECT: correct
