; half and bfloat have the same width but are different functions of their bits.
define float @src(half %x) {
  %r = fpext half %x to float
  ret float %r
}

define float @tgt(half %x) {
  %b = bitcast half %x to bfloat
  %r = fpext bfloat %b to float
  ret float %r
}
; ERROR: Couldn't prove the correctness of the transformation
