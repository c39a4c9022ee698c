; under -fno-builtin (`nobuiltin` call sites) strlen is any function: it may not return.
declare i64 @strlen(ptr)

define i64 @src(ptr %s, i1 %c) {
  %n = call i64 @strlen(ptr %s) nobuiltin
  br i1 %c, label %use, label %skip
use:
  ret i64 %n
skip:
  ret i64 0
}

define i64 @tgt(ptr %s, i1 %c) {
  br i1 %c, label %use, label %skip
use:
  %n = call i64 @strlen(ptr %s) nobuiltin
  ret i64 %n
skip:
  ret i64 0
}
; ERROR: Source is more defined than target
