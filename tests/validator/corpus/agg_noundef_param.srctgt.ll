; aggregates: noundef on a struct parameter promises every member is not poison
define i32 @src({ i8, i32 } noundef %a) {
  %x = extractvalue { i8, i32 } %a, 1
  %f = freeze i32 %x
  ret i32 %f
}

define i32 @tgt({ i8, i32 } noundef %a) {
  %x = extractvalue { i8, i32 } %a, 1
  ret i32 %x
}
; EXPECT: correct
