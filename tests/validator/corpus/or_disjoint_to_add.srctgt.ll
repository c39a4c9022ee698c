define i8 @src(i8 %a, i8 %b) {
  %r = or disjoint i8 %a, %b
  ret i8 %r
}
define i8 @tgt(i8 %a, i8 %b) {
  %r = add nuw nsw i8 %a, %b
  ret i8 %r
}
; EXPECT: correct
