; ffs (POSIX) is modelled: 0 for 0, else 1 + the lowest set bit's index.
declare i32 @ffs(i32)

define i32 @src(i32 %x) {
  %r = call i32 @ffs(i32 %x)
  ret i32 %r
}

define i32 @tgt(i32 %x) {
  %t = call i32 @llvm.cttz.i32(i32 %x, i1 false)
  %t1 = add i32 %t, 1
  %z = icmp eq i32 %x, 0
  %r = select i1 %z, i32 0, i32 %t1
  ret i32 %r
}
declare i32 @llvm.cttz.i32(i32, i1)
; EXPECT: correct
