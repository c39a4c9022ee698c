; vectors: a bitcast to a scalar is poison when any lane is
define i16 @src(<2 x i8> %v) {
  %w = insertelement <2 x i8> %v, i8 poison, i64 1
  %b = bitcast <2 x i8> %w to i16
  ret i16 %b
}

define i16 @tgt(<2 x i8> %v) {
  ret i16 poison
}
; EXPECT: correct
