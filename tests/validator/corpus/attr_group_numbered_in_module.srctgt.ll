; A call site's attribute group is named by its number in the module: printed alone, @src's
; call would say #0 (a lone instruction's slot tracker numbers only its own function's groups),
; which in the module is @g's memory(none), and the store through %p would seem to survive it.
declare void @h(ptr)

define void @g(ptr %p) {
  call void @h(ptr %p) #0
  ret void
}

define i32 @src(ptr %p) {
  store i32 1, ptr %p, align 4
  call void @h(ptr %p) #1
  %v = load i32, ptr %p, align 4
  ret i32 %v
}

define i32 @tgt(ptr %p) {
  store i32 1, ptr %p, align 4
  call void @h(ptr %p) #1
  ret i32 1
}

attributes #0 = { memory(none) }
attributes #1 = { nounwind }
; ERROR: Value mismatch
