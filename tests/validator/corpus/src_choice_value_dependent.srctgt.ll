; A refinement (undef may be x), but the right choice depends on the input: lazycc-tv's
; finite choice sets cannot show it, and it says so instead of "incorrect".
define i8 @src(i8 noundef %x) {
  ret i8 undef
}
define i8 @tgt(i8 noundef %x) {
  ret i8 %x
}
; ERROR: Couldn't prove the correctness of the transformation
