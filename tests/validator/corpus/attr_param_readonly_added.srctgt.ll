; A target may add `readonly` to a parameter it only reads through (checked semantically).
define i8 @src(ptr %p) {
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt(ptr readonly %p) {
  %v = load i8, ptr %p
  ret i8 %v
}
; EXPECT: correct
