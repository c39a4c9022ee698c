; heap: allocsize promises only the bytes it names.
define ptr @src() {
  %p = call ptr @my_alloc(i32 23)
  ret ptr %p
}

define ptr @tgt() {
  %p = call dereferenceable_or_null(24) ptr @my_alloc(i32 23)
  ret ptr %p
}

declare ptr @my_alloc(i32) allocsize(0)
; ERROR: Source is more defined than target
