; Several pairs in one file: @srcN/@tgtN and @src_x/@tgt_x.
define i32 @src1(i32 %x) {
  %a = shl i32 %x, 1
  ret i32 %a
}
define i32 @tgt1(i32 %x) {
  %a = add i32 %x, %x
  ret i32 %a
}
define i1 @src_cmp(i32 %x) {
  %c = icmp slt i32 %x, 0
  ret i1 %c
}
define i1 @tgt_cmp(i32 %x) {
  %s = lshr i32 %x, 31
  %c = trunc i32 %s to i1
  ret i1 %c
}
; EXPECT: correct
