; root cause F: under null_pointer_is_valid a load of null is not UB (the kernel's style).
define i32 @src(ptr %p) null_pointer_is_valid {
  %v = load i32, ptr null, align 4
  ret i32 %v
}

define i32 @tgt(ptr %p) null_pointer_is_valid {
  ret i32 0
}
; ERROR: Unsupported instruction: null_pointer_is_valid
