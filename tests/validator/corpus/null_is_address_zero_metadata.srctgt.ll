; !nonnull on a load means "not at address 0", which is what icmp compares.
define void @src(ptr %p) {
  %a = load ptr, ptr %p, align 1, !nonnull !{}, !noundef !{}
  ret void
}

define void @tgt(ptr %p) {
  %a = load ptr, ptr %p, align 1
  %c = icmp ne ptr %a, null
  call void @llvm.assume(i1 %c)
  ret void
}

declare void @llvm.assume(i1)
; EXPECT: correct
