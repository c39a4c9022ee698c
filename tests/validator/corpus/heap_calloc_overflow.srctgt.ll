; heap: calloc whose size computation overflows returns null.
define i1 @src() {
  %p = call ptr @calloc(i64 -1, i64 16)
  %c = icmp eq ptr %p, null
  ret i1 %c
}

define i1 @tgt() {
  ret i1 false
}

declare ptr @calloc(i64, i64)
; ERROR: Value mismatch
