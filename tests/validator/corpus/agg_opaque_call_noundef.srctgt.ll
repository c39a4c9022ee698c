; an opaque call returning a struct: `noundef` on its result makes every member defined
declare noundef { i8, i32 } @f()

define i32 @src() {
  %v = call { i8, i32 } @f()
  %w = extractvalue { i8, i32 } %v, 1
  %x = freeze i32 %w
  ret i32 %x
}

define i32 @tgt() {
  %v = call { i8, i32 } @f()
  %w = extractvalue { i8, i32 } %v, 1
  ret i32 %w
}
; EXPECT: correct
