; A pointer equal to null may be passed as null (calls see a pointer at address 0 as null).
declare void @f(ptr)

define void @src(ptr noundef %p) {
  call void @f(ptr %p)
  ret void
}

define void @tgt(ptr noundef %p) {
  %c = icmp eq ptr %p, null
  br i1 %c, label %then, label %else
then:
  call void @f(ptr null)
  ret void
else:
  call void @f(ptr %p)
  ret void
}
; EXPECT: correct
