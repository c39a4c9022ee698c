; A call-by-need thunk in allocas (flag + memo), forced twice: correct.
define i32 @src(i32 %x, i32 %y) {
entry:
  %e = mul i32 %x, %y
  %r = add i32 %e, %e
  ret i32 %r
}
define i32 @tgt(i32 %x, i32 %y) {
entry:
  %flag = alloca i1
  %memo = alloca i32
  store i1 false, ptr %flag
  br label %force1
force1:
  %f1 = load i1, ptr %flag
  br i1 %f1, label %done1, label %comp1
comp1:
  %e1 = mul i32 %x, %y
  store i32 %e1, ptr %memo
  store i1 true, ptr %flag
  br label %done1
done1:
  %v1 = load i32, ptr %memo
  %f2 = load i1, ptr %flag
  br i1 %f2, label %done2, label %comp2
comp2:
  %e2 = mul i32 %x, %y
  store i32 %e2, ptr %memo
  store i1 true, ptr %flag
  br label %done2
done2:
  %v2 = load i32, ptr %memo
  %r = add i32 %v1, %v2
  ret i32 %r
}
; EXPECT: correct
