; heap: allocations may always succeed (alive-tv's malloc_never_fails): a target may not
; return the failure answer unconditionally.
define i1 @src() {
  %p = call ptr @malloc(i64 4)
  %c = icmp eq ptr %p, null
  ret i1 %c
}

define i1 @tgt() {
  ret i1 true
}

declare ptr @malloc(i64)
; ERROR: Value mismatch
