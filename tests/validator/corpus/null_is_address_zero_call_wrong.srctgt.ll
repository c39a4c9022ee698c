; ... but not a pointer that is not.
declare void @f(ptr)

define void @src(ptr noundef %p) {
  call void @f(ptr %p)
  ret void
}

define void @tgt(ptr noundef %p) {
  %i = ptrtoint ptr %p to i64
  %c = icmp ult i64 %i, 16
  br i1 %c, label %then, label %else
then:
  call void @f(ptr null)
  ret void
else:
  call void @f(ptr %p)
  ret void
}
; ERROR: Source is more defined than target
