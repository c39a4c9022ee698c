define i8 @src(i8 %a, i8 %b) {
  %c = icmp ult i8 %a, %b
  %r = select i1 %c, i8 %a, i8 %b
  %c2 = icmp sgt i8 %r, 5
  %s = select i1 %c2, i8 %r, i8 5
  ret i8 %s
}
define i8 @tgt(i8 %a, i8 %b) {
  %m = call i8 @llvm.umin.i8(i8 %a, i8 %b)
  %s = call i8 @llvm.smax.i8(i8 %m, i8 5)
  ret i8 %s
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
