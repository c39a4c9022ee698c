; a half constant (0xH...) used to raise a Python ValueError: now a clean "unsupported".
define half @src(half %x) {
  %r = fadd half %x, 0xH3C00
  ret half %r
}

define half @tgt(half %x) {
  %r = fadd half %x, 0xH3C00
  ret half %r
}
; ERROR: Unsupported instruction
