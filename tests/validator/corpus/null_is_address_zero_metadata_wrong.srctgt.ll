; ... without !nonnull the loaded pointer may be null.
define void @src(ptr %p) {
  %a = load ptr, ptr %p, align 1, !noundef !{}
  ret void
}

define void @tgt(ptr %p) {
  %a = load ptr, ptr %p, align 1
  %c = icmp ne ptr %a, null
  call void @llvm.assume(i1 %c)
  ret void
}

declare void @llvm.assume(i1)
; ERROR: Source is more defined than target
