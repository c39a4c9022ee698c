; a noreturn callee that returns is UB, and so is a noreturn function that returns.
declare void @f() noreturn

define void @src() noreturn {
  call void @f()
  call void @f()
  ret void
}

define void @tgt() noreturn {
  call void @f()
  unreachable
}
; EXPECT: correct
