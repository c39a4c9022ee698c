; The target promises initializes((0, 4)) at a call the source makes without it: @f may read
; *%p before writing it (then the target is UB): a promise no source call makes, so the target's
; call is UB under an unknown condition (refine._call_sites_stronger), never accepted.
declare void @f(ptr)
define void @src(ptr %p) {
  store i32 1, ptr %p
  call void @f(ptr %p)
  ret void
}
define void @tgt(ptr %p) {
  store i32 1, ptr %p
  call void @f(ptr initializes((0, 4)) %p)
  ret void
}
; ERROR: Source is more defined than target
