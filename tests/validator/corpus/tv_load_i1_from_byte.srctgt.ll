; LangRef: loading i1 from a byte not written as i1 gives an undefined value
define i1 @src(ptr %p) {
  store i8 3, ptr %p
  ret i1 true
}
define i1 @tgt(ptr %p) {
  store i8 3, ptr %p
  %v = load i1, ptr %p
  ret i1 %v
}
; ERROR: Value mismatch
