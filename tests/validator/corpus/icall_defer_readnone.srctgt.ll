; An indirect call whose call site says memory(none) willreturn nounwind, deferred into the using
; branch: correct (identity = the callee pointer value).
define i32 @src(ptr %f, i32 %x, i1 %c) {
entry:
  %v = call i32 %f(i32 %x) memory(none) willreturn nounwind
  br i1 %c, label %use, label %skip
use:
  ret i32 %v
skip:
  ret i32 0
}
define i32 @tgt(ptr %f, i32 %x, i1 %c) {
entry:
  br i1 %c, label %use, label %skip
use:
  %v = call i32 %f(i32 %x) memory(none) willreturn nounwind
  ret i32 %v
skip:
  ret i32 0
}
; EXPECT: correct
