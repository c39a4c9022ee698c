define void @src(i1 %c) {
  br i1 %c, label %a, label %b
a:
  unreachable
b:
  ret void
}
define void @tgt(i1 %c) {
  ret void
}
; EXPECT: correct
