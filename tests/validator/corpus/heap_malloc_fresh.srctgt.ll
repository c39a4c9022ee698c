; heap: a block malloc returns is fresh (no argument points into it), so a store through an
; argument does not change it.
define i8 @src(ptr %q) {
  %p = call ptr @malloc(i64 4)
  store i8 7, ptr %p
  store i8 9, ptr %q
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt(ptr %q) {
  %p = call ptr @malloc(i64 4)
  store i8 7, ptr %p
  store i8 9, ptr %q
  ret i8 7
}

declare ptr @malloc(i64)
; EXPECT: correct
