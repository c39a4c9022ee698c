; a target may not add an assumption the source does not guarantee.
declare void @llvm.assume(i1)

define void @src(ptr %p) {
  ret void
}

define void @tgt(ptr %p) {
  call void @llvm.assume(i1 true) [ "align"(ptr %p, i64 4) ]
  ret void
}
; ERROR: Source is more defined than target
