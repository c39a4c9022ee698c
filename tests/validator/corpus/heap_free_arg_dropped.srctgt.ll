; heap: freeing an argument's block is visible to the caller: a target may not drop it.
define void @src(ptr %p) {
  call void @free(ptr %p)
  ret void
}

define void @tgt(ptr %p) {
  ret void
}

declare void @free(ptr)
; ERROR: Mismatch in memory
