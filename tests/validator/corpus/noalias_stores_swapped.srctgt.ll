; Swapping stores through two noalias parameters is correct (alive-tv proves it); lazycc-tv
; does not model noalias, so it must not call it incorrect: it cannot prove it either.
define void @src(ptr noalias %p, ptr noalias %q) {
  store i32 1, ptr %p
  store i32 2, ptr %q
  ret void
}
define void @tgt(ptr noalias %p, ptr noalias %q) {
  store i32 2, ptr %q
  store i32 1, ptr %p
  ret void
}
; ERROR: Couldn't prove the correctness of the transformation
