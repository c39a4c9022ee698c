declare void @exit(i32) noreturn nounwind
define i32 @src(i32 %x) {
  call void @exit(i32 %x)
  unreachable
}
define i32 @tgt(i32 %x) {
  ret i32 %x
}
; ERROR: Source and target don't have the same return domain
