; llvm.ushl.sat saturates to all ones when bits would be shifted out
define i8 @src(i8 %x) {
  %r = call i8 @llvm.ushl.sat.i8(i8 %x, i8 1)
  ret i8 %r
}

define i8 @tgt(i8 %x) {
  %r = shl i8 %x, 1
  ret i8 %r
}

declare i8 @llvm.ushl.sat.i8(i8, i8)
; ERROR: Value mismatch
