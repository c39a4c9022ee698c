; ... but a target may not trap where the source returns.
declare void @llvm.trap()

define void @src(i1 %c) {
  br i1 %c, label %t, label %r
t:
  call void @llvm.trap()
  unreachable
r:
  ret void
}

define void @tgt(i1 %c) {
  call void @llvm.trap()
  unreachable
}
; ERROR: Source is more defined than target
