; root cause C: dereferenceable_or_null(4) -> dereferenceable(4) excludes null: stronger.
define i32 @src(ptr dereferenceable_or_null(4) %p) {
  ret i32 0
}

define i32 @tgt(ptr dereferenceable(4) %p) {
  ret i32 0
}
; ERROR: Source is more defined than target
