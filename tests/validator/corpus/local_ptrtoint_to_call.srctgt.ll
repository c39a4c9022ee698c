; the address of an alloca as an integer handed to a call could come back as a pointer (the callee
; may inttoptr it and write the alloca): not modelled, so not judged
declare void @g(i64)

define i32 @src() {
  %x = alloca i32
  store i32 1, ptr %x
  %ix = ptrtoint ptr %x to i64
  call void @g(i64 %ix)
  %v = load i32, ptr %x
  ret i32 %v
}

define i32 @tgt() {
  %x = alloca i32
  store i32 1, ptr %x
  %ix = ptrtoint ptr %x to i64
  call void @g(i64 %ix)
  ret i32 1
}
; ERROR: Unsupported instruction
