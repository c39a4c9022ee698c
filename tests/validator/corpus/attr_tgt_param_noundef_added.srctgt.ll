; a target may not add noundef where callers may pass poison: they would have UB.
define i32 @src(i32 %x) {
  ret i32 0
}

define i32 @tgt(i32 noundef %x) {
  ret i32 0
}
; ERROR: Source is more defined than target
