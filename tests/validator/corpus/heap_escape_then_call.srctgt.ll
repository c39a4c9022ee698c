; heap: a heap address stored where a later call can find it (@g): the call may write the
; block.  Calls see non-local memory only in this model, so such a pair is checked with the
; allocation as an opaque call (the model without heap blocks); the target's folded load is
; wrong (alive-tv accepts it).
@g = global ptr null

define i8 @src() {
  %p = call ptr @malloc(i64 1)
  store ptr %p, ptr @g
  store i8 1, ptr %p
  call void @h()
  %v = load i8, ptr %p
  ret i8 %v
}

define i8 @tgt() {
  %p = call ptr @malloc(i64 1)
  store ptr %p, ptr @g
  store i8 1, ptr %p
  call void @h()
  ret i8 1
}

declare ptr @malloc(i64)
declare void @h()
; ERROR: Value mismatch
