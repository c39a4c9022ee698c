; x86_fp80 (C's long double on x86-64: sqlite3's printf) round-trips through memory (10 bytes).
define x86_fp80 @src(x86_fp80 %x, ptr %p) {
  store x86_fp80 %x, ptr %p
  %r = fadd x86_fp80 %x, 0xK3FFF8000000000000000
  ret x86_fp80 %r
}

define x86_fp80 @tgt(x86_fp80 %x, ptr %p) {
  store x86_fp80 %x, ptr %p
  %y = load x86_fp80, ptr %p
  %r = fadd x86_fp80 %y, 0xK3FFF8000000000000000
  ret x86_fp80 %r
}
; EXPECT: correct
