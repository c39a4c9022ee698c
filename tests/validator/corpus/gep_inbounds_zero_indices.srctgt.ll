; A getelementptr inbounds whose indices are all zero is in bounds whatever its base
; (LangRef; Alive2): it is the base pointer, never poison.
define ptr @src(ptr %A) {
  ret ptr %A
}

define ptr @tgt(ptr %A) {
  %c = getelementptr inbounds [9 x [4 x float]], ptr %A, i64 0, i64 0
  ret ptr %c
}
; EXPECT: correct
