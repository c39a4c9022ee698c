; heap: an allocation nobody looks at, and its free, may be removed.
define i32 @src(i32 %x) {
  %p = call ptr @malloc(i64 16)
  store i32 %x, ptr %p
  call void @free(ptr %p)
  ret i32 %x
}

define i32 @tgt(i32 %x) {
  ret i32 %x
}

declare ptr @malloc(i64)
declare void @free(ptr)
; EXPECT: correct
