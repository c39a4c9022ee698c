define i16 @src(i16 %x, i8 %y) {
  %a = call i16 @llvm.bswap.i16(i16 %x)
  %b = call i16 @llvm.bswap.i16(i16 %a)
  %r1 = call i8 @llvm.bitreverse.i8(i8 %y)
  %r2 = call i8 @llvm.bitreverse.i8(i8 %r1)
  %z = zext i8 %r2 to i16
  %s = xor i16 %b, %z
  ret i16 %s
}
define i16 @tgt(i16 %x, i8 %y) {
  %z = zext i8 %y to i16
  %s = xor i16 %x, %z
  ret i16 %s
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
