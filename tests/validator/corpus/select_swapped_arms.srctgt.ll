define i8 @src(i1 %c, i8 noundef %a, i8 noundef %b) {
  %r = select i1 %c, i8 %a, i8 %b
  ret i8 %r
}
define i8 @tgt(i1 %c, i8 noundef %a, i8 noundef %b) {
  %n = xor i1 %c, true
  %r = select i1 %n, i8 %a, i8 %b
  ret i8 %r
}
; ERROR: Value mismatch
