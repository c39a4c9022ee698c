; a function refines itself: comparing an argument with an alloca's address (the source may
; place its allocas where the target does).
define i1 @src(ptr %arg) {
  %a = alloca i32
  %c = icmp eq ptr %arg, %a
  ret i1 %c
}

define i1 @tgt(ptr %arg) {
  %a = alloca i32
  %c = icmp eq ptr %arg, %a
  ret i1 %c
}
; EXPECT: correct
