; Every execution needs 100 iterations: beyond the unroll bound.
define i32 @src() {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %n, %loop ]
  %n = add i32 %i, 1
  %c = icmp ult i32 %n, 100
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %n
}
define i32 @tgt() {
  ret i32 100
}
; ERROR: The source program doesn't reach a return instruction. Consider increasing the unroll factor if it has loops
