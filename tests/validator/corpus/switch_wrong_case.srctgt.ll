define i8 @src(i8 %x) {
entry:
  switch i8 %x, label %d [ i8 1, label %a
                           i8 3, label %a ]
a:
  ret i8 10
d:
  ret i8 20
}
define i8 @tgt(i8 %x) {
  %m = add i8 %x, -1
  %c = icmp ult i8 %m, 3
  %r = select i1 %c, i8 10, i8 20
  ret i8 %r
}
; ERROR: Value mismatch
