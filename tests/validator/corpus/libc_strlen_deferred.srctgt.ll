; strlen only reads its argument and returns (C standard): deferring it into the branch that
; uses it is correct even though the declaration carries no attributes (clang before opt).
declare i64 @strlen(ptr)

define i64 @src(ptr %s, i1 %c) {
  %n = call i64 @strlen(ptr %s)
  br i1 %c, label %use, label %skip
use:
  ret i64 %n
skip:
  ret i64 0
}

define i64 @tgt(ptr %s, i1 %c) {
  br i1 %c, label %use, label %skip
use:
  %n = call i64 @strlen(ptr %s)
  ret i64 %n
skip:
  ret i64 0
}
; EXPECT: correct
