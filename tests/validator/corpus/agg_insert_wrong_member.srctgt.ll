; aggregates: the other member keeps its own value (here possibly poison)
define i16 @src({ i16, i16 } %a, i16 %x) {
  %b = insertvalue { i16, i16 } %a, i16 %x, 1
  %d = extractvalue { i16, i16 } %b, 0
  ret i16 %d
}

define i16 @tgt({ i16, i16 } %a, i16 %x) {
  ret i16 %x
}
; ERROR: Target is more poisonous than source
