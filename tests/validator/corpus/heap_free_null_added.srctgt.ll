; heap: free(null) does nothing.
define i32 @src(i32 %x) {
  ret i32 %x
}

define i32 @tgt(i32 %x) {
  call void @free(ptr null)
  ret i32 %x
}

declare void @free(ptr)
; EXPECT: correct
