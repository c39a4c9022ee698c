; root cause D: call-site promises (argument readonly, willreturn) that the source did not make.
declare i32 @h(ptr)

define i32 @src(ptr %p) {
  %r = call i32 @h(ptr %p)
  ret i32 %r
}

define i32 @tgt(ptr %p) {
  %r = call i32 @h(ptr readonly %p) willreturn
  ret i32 %r
}
; ERROR: Source is more defined than target
