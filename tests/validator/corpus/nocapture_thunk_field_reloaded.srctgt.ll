; The field that holds the captures(address) parameter is reloaded and stored to memory the
; caller can see: the target captures it.
define void @src(ptr noundef captures(address) %p, ptr %out) {
  %r = call ptr @get(ptr %p)
  store ptr %r, ptr %out, align 8
  ret void
}

define void @tgt(ptr noundef captures(address) %p, ptr %out) {
  %t = alloca { ptr, ptr }, align 8
  store ptr %p, ptr %t, align 8
  %r = call ptr @get(ptr %p)
  %m = getelementptr inbounds i8, ptr %t, i64 8
  store ptr %r, ptr %m, align 8
  %q = getelementptr inbounds i8, ptr %m, i64 -8
  %r2 = load ptr, ptr %q, align 8
  store ptr %r2, ptr %out, align 8
  ret void
}

declare ptr @get(ptr captures(address)) nounwind willreturn memory(read)
; ERROR: Source is more defined than target
