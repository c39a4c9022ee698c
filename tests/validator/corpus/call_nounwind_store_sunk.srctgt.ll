; @n neither unwinds nor touches memory: if it never returns, nobody sees @g; sinking is fine.
@g = global i32 0
declare void @n() memory(none) nounwind
define void @src() {
  store i32 1, ptr @g
  call void @n()
  ret void
}
define void @tgt() {
  call void @n()
  store i32 1, ptr @g
  ret void
}
; EXPECT: correct
