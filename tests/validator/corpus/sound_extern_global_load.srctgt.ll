; root cause A: `external global T, align N` was read as type "T," (size 0), so every access
; was UB in the source and any target passed.
@x = external global i32, align 4

define i32 @src() {
  %v = load i32, ptr @x, align 4
  ret i32 %v
}

define i32 @tgt() {
  ret i32 7
}
; ERROR: Value mismatch
