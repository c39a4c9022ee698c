; *.with.overflow returns { result, overflowed }: signed and unsigned overflow differ
define i1 @src(i8 %a, i8 %b) {
  %s = call { i8, i1 } @llvm.sadd.with.overflow.i8(i8 %a, i8 %b)
  %o = extractvalue { i8, i1 } %s, 1
  ret i1 %o
}
define i1 @tgt(i8 %a, i8 %b) {
  %s = call { i8, i1 } @llvm.uadd.with.overflow.i8(i8 %a, i8 %b)
  %o = extractvalue { i8, i1 } %s, 1
  ret i1 %o
}
declare { i8, i1 } @llvm.sadd.with.overflow.i8(i8, i8)
declare { i8, i1 } @llvm.uadd.with.overflow.i8(i8, i8)
; ERROR: Value mismatch
