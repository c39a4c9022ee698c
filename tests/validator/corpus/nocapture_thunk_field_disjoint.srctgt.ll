; The target keeps a captures(address) parameter in one field of a private alloca (a thunk's
; environment) and a call's result in another; reloading the other field does not bring the
; parameter's provenance back (cJSON's cJSON_DetachItemFromObject under `all` was a false
; "Source is more defined than target": every load counted once the parameter was stored).
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
  %r2 = load ptr, ptr %m, align 8
  store ptr %r2, ptr %out, align 8
  ret void
}

declare ptr @get(ptr captures(address)) nounwind willreturn memory(read)
; EXPECT: correct
