; llvm.is.fpclass with mask 96 (negative or positive zero) is a test of the bits without the sign
define i1 @src(double %x) {
  %c = call i1 @llvm.is.fpclass.f64(double %x, i32 96)
  ret i1 %c
}

define i1 @tgt(double %x) {
  %b = bitcast double %x to i64
  %m = and i64 %b, 9223372036854775807
  %c = icmp eq i64 %m, 0
  ret i1 %c
}

declare i1 @llvm.is.fpclass.f64(double, i32 immarg)
; EXPECT: correct
