; sdiv by a possibly -1 value is UB for INT_MIN; speculating it is wrong.
define i32 @src(i32 %x, i32 %y) {
entry:
  %nz = icmp ne i32 %y, 0
  br i1 %nz, label %div, label %out
div:
  %q = sdiv i32 %x, %y
  ret i32 %q
out:
  ret i32 0
}
define i32 @tgt(i32 %x, i32 %y) {
entry:
  %nz = icmp ne i32 %y, 0
  %y1 = select i1 %nz, i32 %y, i32 1
  %q = sdiv i32 %x, %y1
  %r = select i1 %nz, i32 %q, i32 0
  ret i32 %r
}
; EXPECT: correct
