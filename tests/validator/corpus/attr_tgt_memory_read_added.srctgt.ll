; a target may promise memory(read) when it writes nothing the caller sees (checked: a
; non-local store in it would be UB).
define i8 @src(ptr %p) {
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt(ptr %p) memory(read) {
  %v = load i8, ptr %p
  ret i8 %v
}
; EXPECT: correct
