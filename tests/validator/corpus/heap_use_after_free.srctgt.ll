; heap: a load after free is UB whenever the allocation succeeded, so a target may return
; anything then; it must still return 0 when malloc failed.
define i8 @src() {
  %p = call ptr @malloc(i64 1)
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret i8 0
ok:
  store i8 1, ptr %p
  call void @free(ptr %p)
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt() {
  %p = call ptr @malloc(i64 1)
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret i8 0
ok:
  ret i8 42
}

declare ptr @malloc(i64)
declare void @free(ptr)
; EXPECT: correct
