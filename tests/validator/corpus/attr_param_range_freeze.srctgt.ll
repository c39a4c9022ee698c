define i8 @src(i8 range(i8 0, 10) %x) {
  %f = freeze i8 %x
  ret i8 %f
}
define i8 @tgt(i8 range(i8 0, 10) %x) {
  ret i8 %x
}
; ERROR: Target is more poisonous than source
