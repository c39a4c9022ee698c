; Broken lazification, callee inlined (issue 11 item 3): the callee writes the memory the deferred
; computation reads BEFORE the first force on the error path (the analysis refuses such a site);
; the thunk then computes from the new contents.
declare i32 @digest(ptr) memory(argmem: read) willreturn nounwind
declare void @log(i32)
define i32 @src(ptr %s, i32 %v) {
entry:
  %h = call i32 @digest(ptr %s)
  %bad = icmp slt i32 %v, 0
  br i1 %bad, label %err, label %ok
err:
  store i8 1, ptr %s
  call void @log(i32 %h)
  ret i32 %h
ok:
  %r = shl i32 %v, 1
  ret i32 %r
}
define i32 @tgt(ptr %s, i32 %v) {
entry:
  %done = alloca i1
  %memo = alloca i32
  store i1 false, ptr %done
  %bad = icmp slt i32 %v, 0
  br i1 %bad, label %err, label %ok
err:
  store i8 1, ptr %s
  %d1 = load i1, ptr %done
  br i1 %d1, label %have1, label %comp1
comp1:
  %e1 = call i32 @digest(ptr %s)
  store i32 %e1, ptr %memo
  store i1 true, ptr %done
  br label %have1
have1:
  %h1 = load i32, ptr %memo
  call void @log(i32 %h1)
  %d2 = load i1, ptr %done
  br i1 %d2, label %have2, label %comp2
comp2:
  %e2 = call i32 @digest(ptr %s)
  store i32 %e2, ptr %memo
  store i1 true, ptr %done
  br label %have2
have2:
  %h2 = load i32, ptr %memo
  ret i32 %h2
ok:
  %r = shl i32 %v, 1
  ret i32 %r
}
; ERROR: Source is more defined than target
