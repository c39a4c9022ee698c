; llvm.fabs (and C's fabsf) clears the sign bit and nothing else
define i32 @src(float %x) {
  %a = call float @fabsf(float %x)
  %b = bitcast float %a to i32
  ret i32 %b
}

define i32 @tgt(float %x) {
  %b = bitcast float %x to i32
  %c = and i32 %b, 2147483647
  ret i32 %c
}

declare float @fabsf(float)
; EXPECT: correct
