; ... but not for the wrong callee.
define i8 @src(ptr %p) {
  %v = call i8 %p()
  ret i8 %v
}

define i8 @tgt(ptr %p) {
  %cmp = icmp eq ptr %p, @fn
  br i1 %cmp, label %then, label %else

then:
  %v = call i8 @other()
  ret i8 %v

else:
  %v2 = call i8 %p()
  ret i8 %v2
}

declare i8 @fn()
declare i8 @other()
; ERROR: Source is more defined than target
