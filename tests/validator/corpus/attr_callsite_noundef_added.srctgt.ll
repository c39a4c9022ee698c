declare i8 @f()
define i8 @src() {
  %r = call i8 @f()
  ret i8 %r
}
define i8 @tgt() {
  %r = call noundef i8 @f()
  ret i8 %r
}
; ERROR: Source is more defined than target
