; heap: calloc's block reads as zero; malloc's does not.
define i32 @src() {
  %p = call ptr @calloc(i64 2, i64 4)
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret i32 -1
ok:
  %q = getelementptr i8, ptr %p, i64 4
  %v = load i32, ptr %q
  ret i32 %v
}

define i32 @tgt() {
  %p = call ptr @calloc(i64 2, i64 4)
  %c = icmp eq ptr %p, null
  br i1 %c, label %fail, label %ok
fail:
  ret i32 -1
ok:
  ret i32 0
}

declare ptr @calloc(i64, i64)
; EXPECT: correct
