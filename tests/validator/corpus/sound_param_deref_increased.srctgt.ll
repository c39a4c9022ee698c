; root cause C: parameter attributes are compared by value, not by name.
define i32 @src(ptr dereferenceable(4) %p) {
  ret i32 0
}

define i32 @tgt(ptr dereferenceable(8) %p) {
  ret i32 0
}
; ERROR: Target's function attributes are stronger than source's
