; the source's undef/freeze choices are its own: resolved angelically (CEGIS), as alive-tv does
define i8 @src(i8 %x) {
  %f1 = freeze i8 %x
  %f2 = freeze i8 %x
  %a = sub i8 %f1, %f2
  ret i8 %a
}
define i8 @tgt(i8 %x) {
  ret i8 0
}
; EXPECT: correct
