; A metadata node is named by its number in the module: printed alone, @src's load would call
; its `!range` node !0 (a lone instruction's slot tracker numbers only its own function), which
; in the module is @other's narrower [0, 2).  Read as [0, 2), the source is poison for 5 and
; the target would seem to refine it; with the real [0, 100) the source returns 5, the target 7.
define i8 @other(ptr %p) {
  %v = load i8, ptr %p, align 1, !range !0
  ret i8 %v
}

define i8 @src(ptr %p) {
  %v = load i8, ptr %p, align 1, !range !1
  ret i8 %v
}

define i8 @tgt(ptr %p) {
  %v = load i8, ptr %p, align 1
  %c = icmp ult i8 %v, 2
  %r = select i1 %c, i8 %v, i8 7
  ret i8 %r
}

!0 = !{i8 0, i8 2}
!1 = !{i8 0, i8 100}
; ERROR: Value mismatch
