; A weak constant can be replaced by another module's definition at link time: its
; initializer says nothing about the program's memory.
@cg = weak constant i32 5
define i32 @src() {
  %v = load i32, ptr @cg
  ret i32 %v
}
define i32 @tgt() {
  ret i32 5
}
; ERROR: Value mismatch
