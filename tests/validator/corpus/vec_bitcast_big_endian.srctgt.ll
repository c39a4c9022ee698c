; vectors: on a big-endian layout lane 0 holds the most significant bits of a bitcast
target datalayout = "E-m:e-p:64:64-i64:64-n32:64"

define i16 @src(<2 x i8> %v) {
  %b = bitcast <2 x i8> %v to i16
  ret i16 %b
}

define i16 @tgt(<2 x i8> %v) {
  %lo = extractelement <2 x i8> %v, i64 0
  %hi = extractelement <2 x i8> %v, i64 1
  %l = zext i8 %lo to i16
  %h = zext i8 %hi to i16
  %hs = shl i16 %h, 8
  %r = or i16 %hs, %l
  ret i16 %r
}
; ERROR: Value mismatch
