; vectors: a reduction over a poison lane is poison; the value is the fold of all lanes
define i8 @src(<4 x i8> %v) {
  %r = call i8 @llvm.vector.reduce.add.v4i8(<4 x i8> %v)
  ret i8 %r
}

define i8 @tgt(<4 x i8> %v) {
  %a = extractelement <4 x i8> %v, i64 0
  %b = extractelement <4 x i8> %v, i64 1
  %c = extractelement <4 x i8> %v, i64 2
  %s1 = add i8 %a, %b
  %s2 = add i8 %s1, %c
  ret i8 %s2
}

declare i8 @llvm.vector.reduce.add.v4i8(<4 x i8>)
; ERROR: Value mismatch
