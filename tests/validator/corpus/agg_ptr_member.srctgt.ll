; aggregates with pointers: a pointer member loads and stores like a pointer
define i32 @src(ptr %p) {
  %s = load { ptr, i32 }, ptr %p, align 8
  %q = extractvalue { ptr, i32 } %s, 0
  store i32 1, ptr %q, align 4
  %v = load i32, ptr %q, align 4
  ret i32 %v
}

define i32 @tgt(ptr %p) {
  %s = load { ptr, i32 }, ptr %p, align 8
  %q = extractvalue { ptr, i32 } %s, 0
  store i32 1, ptr %q, align 4
  ret i32 1
}
; EXPECT: correct
