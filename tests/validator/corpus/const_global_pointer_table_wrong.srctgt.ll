; pointer-valued constant initializers: the wrong entry is found.
@a = global i32 0, align 4
@b = global i32 0, align 4
@tab = internal constant [2 x ptr] [ptr @a, ptr @b], align 8

define ptr @src() {
  %v = load ptr, ptr @tab, align 8
  ret ptr %v
}

define ptr @tgt() {
  ret ptr @b
}
; ERROR: Value mismatch
