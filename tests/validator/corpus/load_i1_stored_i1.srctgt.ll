; An i1 written as i1 reads back as itself (padding bits are zero).
define i1 @src(ptr %p, i1 %b) {
  store i1 %b, ptr %p
  %v = load i1, ptr %p
  ret i1 %v
}
define i1 @tgt(ptr %p, i1 %b) {
  store i1 %b, ptr %p
  ret i1 %b
}
; EXPECT: correct
