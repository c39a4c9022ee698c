; the source's undef/freeze choices are its own: resolved angelically (CEGIS), as alive-tv does
define i8 @src() {
  %f = freeze i8 poison
  ret i8 %f
}
define i8 @tgt() {
  ret i8 0
}
; EXPECT: correct
