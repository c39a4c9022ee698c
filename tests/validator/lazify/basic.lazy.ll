%thunk = type { ptr, i8, i32, i32, i32 }

define internal i32 @callee(i32 %a, i1 %c) noinline {
entry:
  br i1 %c, label %use, label %skip
use:
  %r = add i32 %a, 1
  ret i32 %r
skip:
  ret i32 0
}

define internal i32 @caller.force.0(ptr %t) {
entry:
  %donep = getelementptr inbounds %thunk, ptr %t, i32 0, i32 1
  %done = load i8, ptr %donep, align 1
  %isdone = icmp ne i8 %done, 0
  %memop = getelementptr inbounds %thunk, ptr %t, i32 0, i32 2
  br i1 %isdone, label %ret, label %compute
compute:
  %xp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 3
  %x = load i32, ptr %xp, align 4
  %yp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 4
  %y = load i32, ptr %yp, align 4
  %e = udiv i32 %x, %y
  store i32 %e, ptr %memop, align 4
  store i8 1, ptr %donep, align 1
  br label %ret
ret:
  %v = load i32, ptr %memop, align 4
  ret i32 %v
}

define internal i32 @callee.lazy.0(ptr %thunk, i1 %c) {
entry:
  br i1 %c, label %use, label %skip
use:
  %fp = load ptr, ptr %thunk, align 8
  %a = call i32 %fp(ptr %thunk)
  %r = add i32 %a, 1
  ret i32 %r
skip:
  ret i32 0
}

define i32 @caller(i32 %x, i32 %y, i1 %c) {
entry:
  %t = alloca %thunk, align 8
  store ptr @caller.force.0, ptr %t, align 8
  %donep = getelementptr inbounds %thunk, ptr %t, i32 0, i32 1
  store i8 0, ptr %donep, align 1
  %xp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 3
  store i32 %x, ptr %xp, align 4
  %yp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 4
  store i32 %y, ptr %yp, align 4
  %r = call i32 @callee.lazy.0(ptr %t, i1 %c)
  ret i32 %r
}
