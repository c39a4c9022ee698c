; heap: a returned block stays allocated: the caller sees its bytes (alive-tv does not compare
; the bytes of escaped heap blocks and accepts this; LLVM does not).
define ptr @src() {
  %p = call nonnull ptr @malloc(i64 4)
  store i32 1, ptr %p
  ret ptr %p
}

define ptr @tgt() {
  %p = call nonnull ptr @malloc(i64 4)
  store i32 2, ptr %p
  ret ptr %p
}

declare ptr @malloc(i64)
; ERROR: Mismatch in memory
