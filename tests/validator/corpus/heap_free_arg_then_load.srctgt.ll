; heap: free of an argument kills its block (or is UB): a later load is UB either way.
define i8 @src(ptr %p) {
  call void @free(ptr %p)
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt(ptr %p) {
  ret i8 3
}

declare void @free(ptr)
; EXPECT: correct
