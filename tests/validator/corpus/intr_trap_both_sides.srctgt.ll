; llvm.trap is the same defined abort on both sides: code after it is dead.
declare void @llvm.trap()

define void @src(ptr %p) {
  call void @llvm.trap()
  store i8 0, ptr %p
  ret void
}

define void @tgt(ptr %p) {
  call void @llvm.trap()
  unreachable
}
; EXPECT: correct
