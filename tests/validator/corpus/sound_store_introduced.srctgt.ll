; root cause G: a store where the source only reads: the memory may be read-only.
define i8 @src(ptr %p) {
  %v = load i8, ptr %p, align 1
  ret i8 %v
}

define i8 @tgt(ptr %p) {
  %v = load i8, ptr %p, align 1
  store i8 %v, ptr %p, align 1
  ret i8 %v
}
; ERROR: Source is more defined than target
