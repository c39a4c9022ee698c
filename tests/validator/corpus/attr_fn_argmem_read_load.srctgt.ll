; ... it may when it promises to read only them.
define i32 @src(ptr %p) memory(argmem: read) {
  %v = load i32, ptr %p, align 4
  ret i32 %v
}

define i32 @tgt(ptr %p) memory(argmem: read) {
  unreachable
}
; ERROR: Source is more defined than target
