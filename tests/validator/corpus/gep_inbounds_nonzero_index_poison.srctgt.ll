; ... but a non-zero index keeps the in-bounds requirement: poison past the object.
define ptr @src(ptr %A) {
  %c = getelementptr [9 x [4 x float]], ptr %A, i64 0, i64 1
  ret ptr %c
}

define ptr @tgt(ptr %A) {
  %c = getelementptr inbounds [9 x [4 x float]], ptr %A, i64 0, i64 1
  ret ptr %c
}
; ERROR: Target is more poisonous than source
