; root cause C: parameter attributes were compared by name; a stronger one the target adds is now
; UB on entry when violated (the source has no such UB).
define i32 @src(ptr dereferenceable(4) %p) {
  ret i32 0
}

define i32 @tgt(ptr dereferenceable(8) %p) {
  ret i32 0
}
; ERROR: Source is more defined than target
