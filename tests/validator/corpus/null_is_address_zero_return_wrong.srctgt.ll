; ... other pointers must be equal.
define ptr @src(ptr %in) {
  %i = ptrtoint ptr %in to i64
  %c = icmp ult i64 %i, 16
  %r = select i1 %c, ptr null, ptr %in
  ret ptr %r
}

define ptr @tgt(ptr %in) {
  ret ptr %in
}
; ERROR: Value mismatch
