define i8 @src(i8 %x) {
  %f = freeze i8 %x
  ret i8 %f
}
define i8 @tgt(i8 %x) {
  ret i8 %x
}
; ERROR: Target is more poisonous than source
