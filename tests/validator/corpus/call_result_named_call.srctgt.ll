; clang names call results %call: the return attributes of `%call = call nonnull ptr @f()` are
; read after the `=` (the name once made every such call unsupported).
declare ptr @f()

define i1 @src() {
  %call = call nonnull ptr @f()
  %c = icmp eq ptr %call, null
  ret i1 %c
}

define i1 @tgt() {
  %call = call nonnull ptr @f()
  ret i1 false
}
; EXPECT: correct
