; root cause C, the other side: weakening parameter attributes is fine.
define i32 @src(ptr noundef dereferenceable(8) align 8 %p) {
  ret i32 0
}

define i32 @tgt(ptr dereferenceable(4) nonnull align 4 %p) {
  ret i32 0
}
; EXPECT: correct
