; strlen of a non-local string reads non-local memory only: a target with an extra alloca
; (a lazification's thunk) gets the same length, also for strings longer than the bound.
; (Was a false "Source is more defined than target": ClamAV's cli_gentemp under heuristic.)
define i64 @src(ptr %s, i32 %x) {
  %n = call i64 @strlen(ptr %s)
  ret i64 %n
}

define i64 @tgt(ptr %s, i32 %x) {
  %t = alloca i32, align 4
  store i32 %x, ptr %t, align 4
  %n = call i64 @strlen(ptr %s)
  ret i64 %n
}

declare i64 @strlen(ptr) nounwind willreturn memory(argmem: read)
; EXPECT: correct
