; returning undef is more undefined than returning a frozen undef (one value): the source's
; choices come before the target's undef values, which stay sets (found while checking angelic
; resolution: a source choice copied from the target's undef made this "correct")
define i1 @src() {
  %v = freeze i1 undef
  ret i1 %v
}

define i1 @tgt() {
  ret i1 undef
}
; ERROR: Value mismatch
; (alive-tv: "Target's return value is more undefined")
