; ... so a target may not branch on undef where the source branched on a frozen value.
define i8 @src() {
  %f = freeze i1 undef
  br i1 %f, label %then, label %else
then:
  ret i8 0
else:
  ret i8 0
}

define i8 @tgt() {
  br i1 undef, label %then, label %else
then:
  ret i8 0
else:
  ret i8 0
}
; ERROR: Source is more defined than target
