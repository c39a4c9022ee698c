; aggregates: insertvalue replaces one member of a nested struct; extractvalue reads it back
define i16 @src({ i8, { i16, i16 } } %a, i16 %x) {
  %b = insertvalue { i8, { i16, i16 } } %a, i16 %x, 1, 1
  %c = extractvalue { i8, { i16, i16 } } %b, 1
  %d = extractvalue { i16, i16 } %c, 1
  ret i16 %d
}

define i16 @tgt({ i8, { i16, i16 } } %a, i16 %x) {
  ret i16 %x
}
; EXPECT: correct
