; The result of a call that returns its `returned` argument is based on that argument: a store
; through it to a readonly parameter is UB as one through the parameter is.
declare ptr @f2(ptr returned)

define void @src(ptr readonly %p) {
  %p2 = call ptr @f2(ptr %p)
  store i8 0, ptr %p2
  ret void
}

define void @tgt(ptr readonly %p) {
  %p2 = call ptr @f2(ptr %p)
  unreachable
}
; EXPECT: correct
