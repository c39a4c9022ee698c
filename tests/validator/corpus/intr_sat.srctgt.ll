define i8 @src(i8 %x, i8 %y) {
  %a = add i8 %x, 1
  %c = icmp eq i8 %x, -1
  %r = select i1 %c, i8 -1, i8 %a
  %s = call i8 @llvm.ssub.sat.i8(i8 %y, i8 0)
  %t = xor i8 %r, %s
  ret i8 %t
}
define i8 @tgt(i8 %x, i8 %y) {
  %r = call i8 @llvm.uadd.sat.i8(i8 %x, i8 1)
  %t = xor i8 %r, %y
  ret i8 %t
}
declare i8 @llvm.umin.i8(i8, i8)
declare i8 @llvm.smax.i8(i8, i8)
declare i8 @llvm.abs.i8(i8, i1)
declare i8 @llvm.ctpop.i8(i8)
declare i8 @llvm.ctlz.i8(i8, i1)
declare i8 @llvm.cttz.i8(i8, i1)
declare i16 @llvm.bswap.i16(i16)
declare i8 @llvm.bitreverse.i8(i8)
declare i8 @llvm.fshl.i8(i8, i8, i8)
declare i8 @llvm.fshr.i8(i8, i8, i8)
declare i8 @llvm.uadd.sat.i8(i8, i8)
declare i8 @llvm.usub.sat.i8(i8, i8)
declare i8 @llvm.sadd.sat.i8(i8, i8)
declare i8 @llvm.ssub.sat.i8(i8, i8)
declare void @llvm.assume(i1)
declare i8 @llvm.expect.i8(i8, i8)
; EXPECT: correct
