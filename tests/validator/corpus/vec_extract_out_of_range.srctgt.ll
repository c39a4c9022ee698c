; vectors: extractelement out of range is poison, not lane 0
define i32 @src(<4 x i32> %v, i32 %i) {
  %e = extractelement <4 x i32> %v, i32 %i
  ret i32 %e
}

define i32 @tgt(<4 x i32> %v, i32 %i) {
  %m = and i32 %i, 3
  %e = extractelement <4 x i32> %v, i32 %m
  ret i32 %e
}
; EXPECT: correct
