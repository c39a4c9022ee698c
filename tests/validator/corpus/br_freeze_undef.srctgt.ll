; A frozen undef is one value: branching on it is defined (the source picks the branch).
define i8 @src() {
  %f = freeze i1 undef
  br i1 %f, label %then, label %else
then:
  ret i8 0
else:
  ret i8 1
}

define i8 @tgt() {
  ret i8 1
}
; EXPECT: correct
