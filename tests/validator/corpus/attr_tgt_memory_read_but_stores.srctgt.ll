; ... but not when it stores: then the promise is broken (UB) where the source is defined.
define i8 @src(ptr %p) {
  store i8 1, ptr %p
  ret i8 0
}

define i8 @tgt(ptr %p) memory(read) {
  store i8 1, ptr %p
  ret i8 0
}
; ERROR: Source is more defined than target
