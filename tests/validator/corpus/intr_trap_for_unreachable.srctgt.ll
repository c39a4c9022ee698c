; replacing UB (unreachable) by a trap is fine.
declare void @llvm.trap()

define i32 @src(i1 %c) {
  br i1 %c, label %a, label %b
a:
  unreachable
b:
  ret i32 1
}

define i32 @tgt(i1 %c) {
  br i1 %c, label %a, label %b
a:
  call void @llvm.trap()
  unreachable
b:
  ret i32 1
}
; EXPECT: correct
