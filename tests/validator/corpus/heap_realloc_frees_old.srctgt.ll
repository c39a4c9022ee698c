; heap: after a successful realloc the old block is dead: a target may not read it.
define i8 @src() {
  %p = call ptr @malloc(i64 4)
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret i8 0
ok:
  store i8 5, ptr %p
  %q = call ptr @realloc(ptr %p, i64 8)
  ret i8 5
}

define i8 @tgt() {
  %p = call ptr @malloc(i64 4)
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret i8 0
ok:
  store i8 5, ptr %p
  %q = call ptr @realloc(ptr %p, i64 8)
  %a = load i8, ptr %p
  ret i8 %a
}

declare ptr @malloc(i64)
declare ptr @realloc(ptr, i64)
; ERROR: Source is more defined than target
