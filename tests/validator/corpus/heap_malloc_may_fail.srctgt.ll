; heap: whether malloc succeeds is the source's choice too: a target may fold a null check
; of an allocation to "not null" (alive-tv agrees).
define i1 @src() {
  %p = call ptr @malloc(i64 4)
  %c = icmp eq ptr %p, null
  ret i1 %c
}

define i1 @tgt() {
  %p = call ptr @malloc(i64 4)
  ret i1 false
}

declare ptr @malloc(i64)
; EXPECT: correct
