; The callee's parameter lets the return value carry provenance (ret: ... provenance): the
; result may be based on %a, and the target returns it where the source returned null.
define ptr @src(ptr noundef captures(address_is_null) %a) {
  %r = call ptr @pass(ptr noundef %a)
  ret ptr null
}

define ptr @tgt(ptr noundef captures(address_is_null) %a) {
  %r = call ptr @pass(ptr noundef %a)
  ret ptr %r
}

declare ptr @pass(ptr noundef captures(address_is_null, ret: address, provenance)) nounwind willreturn memory(none)
; ERROR: Target is more poisonous than source
