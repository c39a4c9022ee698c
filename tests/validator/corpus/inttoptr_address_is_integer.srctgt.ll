; The address of inttoptr(i) is i: p + 1 wraps below p exactly when p's address is -1.
define i1 @src(ptr %p) {
  %q = getelementptr i8, ptr %p, i64 1
  %c = icmp ult ptr %q, %p
  ret i1 %c
}

define i1 @tgt(ptr %p) {
  %m = inttoptr i64 -1 to ptr
  %c = icmp eq ptr %p, %m
  ret i1 %c
}
; EXPECT: correct
