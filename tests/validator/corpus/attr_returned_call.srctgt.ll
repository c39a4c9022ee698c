; `returned`: a call's result is that argument (poison if the callee returned another value).
declare ptr @f2(ptr returned)

define void @src(ptr %p) {
  %p2 = call ptr @f2(ptr %p)
  store i8 0, ptr %p2
  ret void
}

define void @tgt(ptr %p) {
  %p2 = call ptr @f2(ptr %p)
  store i8 0, ptr %p
  ret void
}
; EXPECT: correct
