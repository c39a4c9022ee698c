; a target may trap only where the source has UB (a noreturn readnone call is not a trap).
declare void @plain_fn()
declare void @llvm.trap()

define void @src() {
  call void @plain_fn() noreturn memory(none)
  unreachable
}

define void @tgt() {
  call void @llvm.trap()
  unreachable
}
; ERROR: Source is more defined than target
