; vectors: freeze chooses each poison lane separately (in the target too), so the lanes of a
; frozen poison vector need not be equal
define i1 @src(<2 x i8> %v) {
  ret i1 true
}

define i1 @tgt(<2 x i8> %v) {
  %f = freeze <2 x i8> poison
  %a = extractelement <2 x i8> %f, i64 0
  %b = extractelement <2 x i8> %f, i64 1
  %c = icmp eq i8 %a, %b
  ret i1 %c
}
; ERROR: Value mismatch
