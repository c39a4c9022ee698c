; An inbounds GEP's base is in bounds too, and objects are smaller than the offset space:
; the distance of the two addresses is the constant.
define i64 @src(ptr %p) {
  %q = getelementptr inbounds i8, ptr %p, i64 4
  %i = ptrtoint ptr %q to i64
  %j = ptrtoint ptr %p to i64
  %d = sub i64 %i, %j
  ret i64 %d
}
define i64 @tgt(ptr %p) {
  ret i64 4
}
; EXPECT: correct
