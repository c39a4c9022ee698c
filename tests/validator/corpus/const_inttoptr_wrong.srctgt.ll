; Constant `inttoptr` of two integers: two addresses, never equal.
define i1 @src(ptr %q) {
  %c = icmp eq ptr inttoptr (i64 -1 to ptr), %q
  ret i1 %c
}
define i1 @tgt(ptr %q) {
  %c = icmp eq ptr inttoptr (i64 -2 to ptr), %q
  ret i1 %c
}
; ERROR: Value mismatch
