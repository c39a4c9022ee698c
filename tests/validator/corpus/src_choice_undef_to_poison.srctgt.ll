; undef is not poison: whatever the source chooses, the target is more poisonous.
define i8 @src(i8 %x) {
  ret i8 undef
}
define i8 @tgt(i8 %x) {
  ret i8 poison
}
; ERROR: Target is more poisonous than source
