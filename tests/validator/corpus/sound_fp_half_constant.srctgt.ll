; a half constant (0xH...) used to raise a Python ValueError; half is now modelled (its
; operations as uninterpreted functions of their bits, like float and double).
define half @src(half %x) {
  %r = fadd half %x, 0xH3C00
  ret half %r
}

define half @tgt(half %x) {
  %r = fadd half %x, 0xH3C00
  ret half %r
}
; EXPECT: correct
