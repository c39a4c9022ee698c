; A target that adds a strlen the source does not make may run off the string's block
; beyond the modelled prefix (UB): the bounded model must not call that correct (the first
; 64 bytes are dereferenceable, so only a read past them can be UB).
define i64 @src(ptr dereferenceable(64) %s) {
  ret i64 0
}

define i64 @tgt(ptr dereferenceable(64) %s) {
  %n = call i64 @strlen(ptr %s)
  ret i64 0
}

declare i64 @strlen(ptr) nounwind willreturn memory(argmem: read)
; ERROR: Source is more defined than target
