; Store-to-load forwarding through a global: correct.
@g = global i32 0, align 4
define i32 @src(i32 %x) {
  store i32 %x, ptr @g, align 4
  %v = load i32, ptr @g, align 4
  ret i32 %v
}
define i32 @tgt(i32 %x) {
  store i32 %x, ptr @g, align 4
  ret i32 %x
}
; EXPECT: correct
