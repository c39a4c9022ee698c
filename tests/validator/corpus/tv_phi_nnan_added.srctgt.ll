; from a red-team review of lazycc-tv's verdicts (regression: was unsound, crashed or imprecise)
define float @src(i1 %c, float %a, float %b) {
entry:
  br i1 %c, label %x, label %y
x:
  br label %j
y:
  br label %j
j:
  %r = phi float [ %a, %x ], [ %b, %y ]
  ret float %r
}
define float @tgt(i1 %c, float %a, float %b) {
entry:
  br i1 %c, label %x, label %y
x:
  br label %j
y:
  br label %j
j:
  %r = phi nnan float [ %a, %x ], [ %b, %y ]
  ret float %r
}
; ERROR: Unsupported instruction
