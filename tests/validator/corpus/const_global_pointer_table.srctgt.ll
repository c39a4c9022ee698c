; pointer-valued constant initializers: a table of pointers to globals is known memory.
@a = global i32 0, align 4
@b = global i32 0, align 4
@tab = internal constant [2 x ptr] [ptr @a, ptr @b], align 8
@s = internal constant { i32, ptr } { i32 7, ptr @b }, align 8

define ptr @src() {
  %p = getelementptr inbounds [2 x ptr], ptr @tab, i64 0, i64 1
  %v = load ptr, ptr %p, align 8
  %q = getelementptr inbounds { i32, ptr }, ptr @s, i64 0, i32 1
  %w = load ptr, ptr %q, align 8
  %c = icmp eq ptr %v, %w
  %r = select i1 %c, ptr %v, ptr @a
  ret ptr %r
}

define ptr @tgt() {
  ret ptr @b
}
; EXPECT: correct
