define i8 @src(i8 %x, i8 %c) {
  %r = call i8 @llvm.fshl.i8(i8 %x, i8 %x, i8 %c)
  ret i8 %r
}
define i8 @tgt(i8 %x, i8 %c) {
  %m = and i8 %c, 7
  %n = sub i8 8, %m
  %n7 = and i8 %n, 7
  %l = shl i8 %x, %m
  %h = lshr i8 %x, %n7
  %r = or i8 %l, %h
  ret i8 %r
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
