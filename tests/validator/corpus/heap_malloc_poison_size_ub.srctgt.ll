; heap: a poison (or undef) size is UB.
define void @src(i64 %n) {
  %s = add nuw i64 %n, -1
  %p = call ptr @malloc(i64 %s)
  ret void
}

define void @tgt(i64 %n) {
  %c = icmp eq i64 %n, 0
  br i1 %c, label %ok, label %bad
ok:
  ret void
bad:
  unreachable
}

declare ptr @malloc(i64)
; EXPECT: correct
