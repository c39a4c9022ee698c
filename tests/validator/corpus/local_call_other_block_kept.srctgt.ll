; Only the block passed is the callee's: another alloca keeps its bytes across the call, and
; the block passed is read from the callee's new bytes (two calls in a row).
declare void @f(ptr captures(none)) nounwind willreturn
define i32 @src(i32 %a, i32 %b) {
  %x = alloca i32
  %y = alloca i32
  store i32 %a, ptr %x
  store i32 %b, ptr %y
  call void @f(ptr %x)
  call void @f(ptr %x)
  %v = load i32, ptr %y
  %w = load i32, ptr %x
  %r = add i32 %v, %w
  ret i32 %r
}
define i32 @tgt(i32 %a, i32 %b) {
  %x = alloca i32
  %y = alloca i32
  store i32 %a, ptr %x
  call void @f(ptr %x)
  call void @f(ptr %x)
  %w = load i32, ptr %x
  %r = add i32 %b, %w
  ret i32 %r
}
; EXPECT: correct
