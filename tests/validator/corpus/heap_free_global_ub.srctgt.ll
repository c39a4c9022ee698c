; heap: free of a global (or of an offset pointer) is UB.
@g = global i32 0

define i32 @src() {
  call void @free(ptr @g)
  ret i32 1
}

define i32 @tgt() {
  ret i32 2
}

declare void @free(ptr)
; EXPECT: correct
