; the source's undef/freeze choices are its own: resolved angelically (CEGIS), as alive-tv does
define i8 @src() {
  ret i8 undef
}
define i8 @tgt() {
  ret i8 0
}
; EXPECT: correct
