; *.with.overflow: the overflow bit of a signed add is the sign test of the wide sum
define i1 @src(i8 %a, i8 %b) {
  %s = call { i8, i1 } @llvm.sadd.with.overflow.i8(i8 %a, i8 %b)
  %o = extractvalue { i8, i1 } %s, 1
  ret i1 %o
}
define i1 @tgt(i8 %a, i8 %b) {
  %fa = freeze i8 %a
  %fb = freeze i8 %b
  %wa = sext i8 %fa to i16
  %wb = sext i8 %fb to i16
  %w = add i16 %wa, %wb
  %t = trunc i16 %w to i8
  %e = sext i8 %t to i16
  %o = icmp ne i16 %e, %w
  ret i1 %o
}
declare { i8, i1 } @llvm.sadd.with.overflow.i8(i8, i8)
; EXPECT: correct
