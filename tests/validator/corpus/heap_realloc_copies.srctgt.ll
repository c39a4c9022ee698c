; heap: realloc keeps the old bytes (on failure in the old block, on success in the new one).
define i8 @src() {
  %p = call ptr @malloc(i64 4)
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret i8 0
ok:
  store i8 5, ptr %p
  %q = call ptr @realloc(ptr %p, i64 8)
  %c2 = icmp eq ptr %q, null
  br i1 %c2, label %old, label %new
old:
  %a = load i8, ptr %p
  ret i8 %a
new:
  %b = load i8, ptr %q
  ret i8 %b
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
  ret i8 5
}

declare ptr @malloc(i64)
declare ptr @realloc(ptr, i64)
; EXPECT: correct
