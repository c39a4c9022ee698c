; a target call site that promises `noreturn` for an unknown callee is UB where that callee
; returns: refuted (before, such pairs were not judged)
declare void @g()

define i32 @src() {
  call void @g()
  ret i32 0
}

define i32 @tgt() {
  call void @g() noreturn
  ret i32 0
}
; ERROR: Source is more defined than target
