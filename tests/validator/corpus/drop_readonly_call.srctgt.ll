; Dropping an unused call to a readonly willreturn nounwind function: correct.
declare i32 @peek(ptr) memory(read) willreturn nounwind
define i32 @src(ptr %p, i32 %x) {
  %u = call i32 @peek(ptr %p)
  ret i32 %x
}
define i32 @tgt(ptr %p, i32 %x) {
  ret i32 %x
}
; EXPECT: correct
