; the addresses of two live allocas, seen as integers, differ (blocks are disjoint)
define i1 @src() {
  %x = alloca i32
  %y = alloca i32
  %ix = ptrtoint ptr %x to i64
  %iy = ptrtoint ptr %y to i64
  %c = icmp ne i64 %ix, %iy
  ret i1 %c
}

define i1 @tgt() {
  ret i1 true
}
; EXPECT: correct
