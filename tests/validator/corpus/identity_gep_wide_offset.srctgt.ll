; a function refines itself when a plain GEP leaves the 56-bit offset space: the result keeps
; the (non-local) base's provenance, so both sides see the same address.
define i1 @src(ptr %p) {
  %p2 = getelementptr i8, ptr %p, i64 0
  %p3 = getelementptr i8, ptr %p, i64 1
  %c = icmp eq ptr %p2, %p3
  ret i1 %c
}

define i1 @tgt(ptr %p) {
  %p2 = getelementptr i8, ptr %p, i64 0
  %p3 = getelementptr i8, ptr %p, i64 1
  %c = icmp eq ptr %p2, %p3
  ret i1 %c
}
; EXPECT: correct
