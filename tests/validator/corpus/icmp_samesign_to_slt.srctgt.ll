define i1 @src(i8 %a, i8 %b) {
  %r = icmp samesign ult i8 %a, %b
  ret i1 %r
}
define i1 @tgt(i8 %a, i8 %b) {
  %r = icmp slt i8 %a, %b
  ret i1 %r
}
; EXPECT: correct
