; The declaration promises nothing; only the call site says captures(none) on %a.  The
; result cannot be based on %a, so returning it is no capture.
define ptr @src(ptr noundef captures(none) %a, ptr %b) {
  %r = call ptr @pick(ptr noundef captures(none) %a, ptr %b)
  ret ptr %r
}

define ptr @tgt(ptr noundef captures(none) %a, ptr %b) {
  %r = call ptr @pick(ptr noundef captures(none) %a, ptr %b)
  ret ptr %r
}

declare ptr @pick(ptr, ptr) nounwind willreturn memory(argmem: read)
; EXPECT: correct
