; operand bundles on a call carry semantics we do not model (and their operands are not
; arguments): refused, not misread (this once raised a Python IndexError).
declare ptr @fn1()
declare ptr @objc_retainAutoreleasedReturnValue()

define void @src() {
  call ptr @fn1() [ "clang.arc.attachedcall"(ptr @objc_retainAutoreleasedReturnValue) ]
  ret void
}

define void @tgt() {
  call ptr @fn1()
  call ptr @objc_retainAutoreleasedReturnValue()
  ret void
}
; ERROR: Unsupported instruction
