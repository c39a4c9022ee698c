; A callee whose parameter captures only address_is_null cannot return a pointer based on
; it: returning the call's result is not returning the captures(none)-like parameter.
; (Was a false "Source is more defined than target" on src == tgt: cJSON's
; cJSON_DetachItemFromArray after lazification.)
define ptr @src(ptr noundef captures(address_is_null) %a, ptr %b) {
  %r = call ptr @detach(ptr noundef %a, ptr noundef %b)
  ret ptr %r
}

define ptr @tgt(ptr noundef captures(address_is_null) %a, ptr %b) {
  %r = call ptr @detach(ptr noundef %a, ptr noundef %b)
  ret ptr %r
}

declare ptr @detach(ptr noundef captures(address_is_null), ptr noundef captures(address, ret: address, provenance)) nounwind willreturn memory(write, argmem: readwrite)
; EXPECT: correct
