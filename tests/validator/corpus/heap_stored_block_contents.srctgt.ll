; heap: a block whose address is stored to the caller's memory stays visible after return
; (alive-tv does not compare the bytes of escaped heap blocks and accepts this).
define void @src(ptr %out) {
  %p = call ptr @malloc(i64 1)
  store ptr %p, ptr %out
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret void
ok:
  store i8 5, ptr %p
  ret void
}

define void @tgt(ptr %out) {
  %p = call ptr @malloc(i64 1)
  store ptr %p, ptr %out
  ret void
}

declare ptr @malloc(i64)
; ERROR: Mismatch in memory
