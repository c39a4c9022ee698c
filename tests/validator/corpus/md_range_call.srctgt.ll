; !range on a call's result: poison outside the range, so a udiv by 3 of a value below 3 is 0.
declare i32 @external()

define i32 @src() {
  %call = call i32 @external(), !range !0
  %q = udiv i32 %call, 3
  ret i32 %q
}

define i32 @tgt() {
  %call = call i32 @external(), !range !0
  ret i32 0
}

!0 = !{i32 0, i32 3}
; EXPECT: correct
