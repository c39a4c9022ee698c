; ... and not another value.
@g = internal constant i32 7

define i32 @f() {
  %v = load i32, ptr @g
  ret i32 %v
}
; ERROR: Value mismatch
