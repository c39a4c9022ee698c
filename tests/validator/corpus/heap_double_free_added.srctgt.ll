; heap: a second free of the same block is UB; a target may not add it.
define void @src() {
  %p = call ptr @malloc(i64 4)
  call void @free(ptr %p)
  ret void
}

define void @tgt() {
  %p = call ptr @malloc(i64 4)
  call void @free(ptr %p)
  call void @free(ptr %p)
  ret void
}

declare ptr @malloc(i64)
declare void @free(ptr)
; ERROR: Source is more defined than target
