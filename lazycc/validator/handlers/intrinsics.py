"""llvm.* intrinsics, registered by name prefix in registry.INTRINSICS: markers (assume,
lifetime, dbg, sideeffect), bit manipulation, saturating and min/max arithmetic, FP sign
operations, ptrmask, memset/memcpy/memmove."""
from __future__ import annotations

import re

from lazycc.validator import smt as S
from lazycc.validator.attributes import memory_effects
from lazycc.validator.callsite import arg_align, call_parts
from lazycc.validator.handlers.access import (check_range, len64, param_range_access, store_range, sym_len,
                                              tail_call_locals)
from lazycc.validator.handlers.integer import b2bv
from lazycc.validator.handlers.opaque import opaque_call
from lazycc.validator.handlers.registry import intrinsic
from lazycc.ir.model import Inst, Ty, expand_attrs
from lazycc.ir.attrs import split_top
from lazycc.validator.memory import (BYTE, OFFW, PTRW, aligned, locality, mk_ptr, ptr_bid, ptr_off, to_bytes,
                                     width_of)
from lazycc.validator.state import Unsupported


@intrinsic("llvm.sideeffect")
def i_sideeffect(ex, st, ins, name):
    """An event with effects on inaccessible memory (unless the call site says `memory(none)`):
    an opaque call that returns (Alive2's `#sideeffect`), so it may not be dropped."""
    decl = ex.sh.decl_override.get(name) or ex.mod.decls.get(name)
    reads, writes = memory_effects((decl.attrs if decl else "") + " " +
                                   expand_attrs(call_parts(ins)[1], ex.mod.attr_groups))
    return opaque_call(ex, st, name, [], None, reads, writes, willreturn=True, nounwind=True)


@intrinsic("llvm.trap", "llvm.ubsantrap")
def i_trap(ex, st, ins, name):
    """Abnormal termination, the same on both sides: defined behaviour that never returns
    (the memory at that point is compared, like an exit).  It is an opaque event of its own,
    as in Alive2 (`#trap`): its UB is an unknown of its arguments (never true in a real run;
    the queries hold for every value), so a target may not trap where the source stops in
    another way (a noreturn call, an infinite loop)."""
    args = [ex.operand(st, o) for o in ins.ops[:-1]]
    opaque_call(ex, st, name, args, None, reads=False, writes=False, willreturn=True, nounwind=True)
    ex.add_noret(st, S.BoolVal(True), observable=True)
    return None


@intrinsic("llvm.debugtrap")
def i_debugtrap(ex, st, ins, name):
    """A breakpoint: an event that returns (an opaque call with effects, as Alive2 does)."""
    return opaque_call(ex, st, name, [], None, reads=True, writes=True, willreturn=True, nounwind=True)


@intrinsic("llvm.dbg.", "llvm.experimental.noalias.scope.decl", "llvm.donothing")
def i_noop(ex, st, ins, name):
    if ins.ty.kind != "void":
        raise Unsupported(ins.text)
    return None


@intrinsic("llvm.lifetime.start", "llvm.lifetime.end")
def i_lifetime(ex, st, ins, name):
    p = ins.ops[-2] if len(ins.ops) >= 2 else None
    if p is None or p.kind != "ref":
        raise Unsupported(ins.text)
    v, _ = ex.operand(st, p)
    bid = S.bv_const_value(ptr_bid(v))
    if bid is None or bid < 128:
        raise Unsupported(ins.text)
    st.alive[bid] = S.BoolVal(name.startswith("llvm.lifetime.start"))
    if name.startswith("llvm.lifetime.start"):
        # A restarted lifetime begins with poison contents.
        size = ex.local_sizes.get(bid, 0)
        for i in range(size):
            st.L = S.Store(st.L, mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(i, OFFW)), S.BitVecVal(0, BYTE))
    return None


_BUNDLE = re.compile(r'"([\w.-]+)"\(([^()]*)\)')


@intrinsic("llvm.assume")
def i_assume(ex, st, ins, name):
    """`assume(c)`: UB unless c.  Operand bundles are assumptions too, each UB when it does
    not hold: "align"(p, n[, off]), "nonnull"(p), "noundef"(v...), "dereferenceable"(p, n),
    "ignore"/"cold" (nothing).  Others are refused in the target and ignored in the source
    (ignoring an assumption makes the source more defined: sound)."""
    c, cn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Or(S.Not(cn), c == 0))
    bundles = ins.text.split(")", 1)[1] if ")" in ins.text else ""
    ops = ins.ops[1:-1]
    i = 0
    for m in _BUNDLE.finditer(bundles):
        kind, n = m.group(1), len(split_top(m.group(2))) if m.group(2).strip() else 0
        args = [ex.operand(st, o) for o in ops[i:i + n]]
        tys = [o.ty for o in ops[i:i + n]]
        i += n
        if kind in ("ignore", "cold"):
            continue
        if kind == "noundef":
            ex.add_ub(st, S.Not(S.And(*[np_ for _, np_ in args])) if args else S.BoolVal(False))
            continue
        if kind == "nonnull" and n == 1 and tys[0].kind == "ptr":
            p, pn = args[0]
            ex.add_ub(st, S.And(pn, ex.addr_of(p) == 0))
            continue
        if kind == "align" and n in (2, 3) and tys[0].kind == "ptr" and ops[i - n + 1].kind == "int":
            (p, pn), al = args[0], ops[i - n + 1].value
            addr = ex.addr_of(p)
            if n == 3:
                (o, on) = args[2]
                w = width_of(tys[2])
                addr = addr - (S.ZeroExt(64 - w, o) if w < 64 else S.Extract(63, 0, o))
            if al & (al - 1) == 0 and al > 1:
                ex.add_ub(st, S.And(pn, S.Not(aligned(addr, al))))
            continue
        if kind == "dereferenceable" and n == 2 and tys[0].kind == "ptr" and ops[i - 1].kind == "int":
            (p, pn), size = args[0], ops[i - 1].value
            if size:
                ex.check_access(st, p, pn, size, 1, write=False)
            continue
        if ex.side == "tgt":
            raise Unsupported(f"{ins.text} (assume bundle {kind})")
    if i != len(ops):
        raise Unsupported(f"{ins.text} (assume bundle operands)")
    return None


@intrinsic("llvm.expect")
def i_expect(ex, st, ins, name):
    return ex.operand(st, ins.ops[0])


@intrinsic("llvm.smax", "llvm.smin", "llvm.umax", "llvm.umin")
def i_minmax(ex, st, ins, name):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    kind = name.split(".")[1]
    cmp = {"smax": lambda: a > b, "smin": lambda: a < b, "umax": lambda: S.UGT(a, b),
           "umin": lambda: S.ULT(a, b)}[kind]()
    return S.If(cmp, a, b), S.And(an, bn)


# Exponent and fraction bits of the IEEE formats (x86_fp80's explicit integer bit: not here).
_IEEE = {"half": (5, 10), "bfloat": (8, 7), "float": (8, 23), "double": (11, 52), "fp128": (15, 112)}


def _ieee_operand(ex, st, ins, i: int):
    """FP operand i of a bit-level FP intrinsic: (bits, non-poison, exponent bits, fraction bits)."""
    t = ins.ops[i].ty
    if t.kind not in _IEEE:
        raise Unsupported(ins.text)
    v, n = ex.operand(st, ins.ops[i])
    return (v, n, *_IEEE[t.kind])


@intrinsic("llvm.fabs")
def i_fabs(ex, st, ins, name):
    """Clears the sign bit and nothing else, NaNs included (LangRef)."""
    v, n, e, m = _ieee_operand(ex, st, ins, 0)
    return v & S.BitVecVal((1 << (e + m)) - 1, e + m + 1), n


@intrinsic("llvm.copysign")
def i_copysign(ex, st, ins, name):
    """The magnitude's bits with the sign's sign bit (LangRef: a bit operation)."""
    v, n, e, m = _ieee_operand(ex, st, ins, 0)
    s_, sn, _, _ = _ieee_operand(ex, st, ins, 1)
    w = e + m + 1
    return S.Concat(S.Extract(w - 1, w - 1, s_), S.Extract(w - 2, 0, v)), S.And(n, sn)


@intrinsic("llvm.is.fpclass")
def i_is_fpclass(ex, st, ins, name):
    """Tests the operand's class from its bits; the mask is an immediate (bit 0 signaling NaN,
    1 quiet NaN, 2..5 negative infinity/normal/subnormal/zero, 6..9 the positive ones)."""
    v, n, e, m = _ieee_operand(ex, st, ins, 0)
    mask = _flag_operand(ex, st, ins, 1)
    w = e + m + 1
    exp, frac = S.Extract(w - 2, m, v), S.Extract(m - 1, 0, v)
    neg = S.Extract(w - 1, w - 1, v) == 1
    ones, zero = exp == (1 << e) - 1, exp == 0
    quiet = S.Extract(m - 1, m - 1, v) == 1
    classes = [S.And(ones, frac != 0, S.Not(quiet)), S.And(ones, frac != 0, quiet)]
    kinds = [S.And(ones, frac == 0), S.And(S.Not(ones), S.Not(zero)), S.And(zero, frac != 0),
             S.And(zero, frac == 0)]
    classes += [S.And(neg, k) for k in kinds] + [S.And(S.Not(neg), k) for k in reversed(kinds)]
    hit = [c for i, c in enumerate(classes) if mask >> i & 1]
    return b2bv(S.Or(*hit) if hit else S.BoolVal(False)), n


@intrinsic("llvm.ptrmask")
def i_ptrmask(ex, st, ins, name):
    """The pointer with its address masked and its provenance kept (LangRef: like a GEP by
    `(addr & mask) - addr` without flags)."""
    o = ins.ops[0]
    if o.ty.kind != "ptr" or ins.ops[1].ty.width != PTRW or (o.kind == "ref" and o.key in ex.maybe_local):
        raise Unsupported(ins.text)   # (a local address through a call: the taint does not follow)
    (p, pn), (m, mn) = ex.operand(st, o), ex.operand(st, ins.ops[1])
    addr = ex.addr_of(p)
    return ex.moved(p, (addr & m) - addr), S.And(pn, mn)


@intrinsic("llvm.abs")
def i_abs(ex, st, ins, name):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (f, fn_) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    intmin = S.BitVecVal(1 << (w - 1), w)
    np_ = S.And(an, fn_, S.Or(f == 0, a != intmin))
    return S.If(a < 0, -a, a), np_


@intrinsic("llvm.memset")
def i_memset(ex, st, ins, name):
    if "element.unordered.atomic" in name or len(ins.ops) != 5:
        raise Unsupported(ins.text)
    (p, pn), (b, bn), lenop = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1]), ins.ops[2]
    if ins.ops[3].kind != "int" or ins.ops[3].value:
        raise Unsupported(ins.text)      # volatile
    n0 = len64(ex, st, lenop)
    tail_call_locals(ex, st, ins, [(p, pn)], n0)
    param_range_access(ex, st, [(ins.ops[0], p, True)], n0)
    if lenop.kind != "int" or lenop.value > 256:
        n64 = sym_len(ex, st, lenop)
        check_range(ex, st, p, pn, n64, arg_align(ins, name, 0), write=True)
        byte = to_bytes(b, bn, Ty("int", 8, "i8"), 1)[0]
        store_range(ex, st, p, n64, lambda a: byte)
        return None
    n = lenop.value
    if n:
        ex.check_access(st, p, pn, n, arg_align(ins, name, 0), write=True)
        ex.store_bytes(st, p, to_bytes(b, bn, Ty("int", 8, "i8"), 1) * n)
    return None


@intrinsic("llvm.memcpy", "llvm.memmove")
def i_memcpy(ex, st, ins, name):
    if "element.unordered.atomic" in name or len(ins.ops) != 5:
        raise Unsupported(ins.text)
    d, s, lenop = ins.ops[0], ins.ops[1], ins.ops[2]
    if ins.ops[3].kind != "int" or ins.ops[3].value:
        raise Unsupported(ins.text)      # volatile
    (dp, dn), (sp, sn) = ex.operand(st, d), ex.operand(st, s)
    if s.kind == "ref" and s.key in ex.maybe_local and s.key not in ex.maybe_stack and ex.heap_stored \
            and not (d.kind == "ref" and d.key in ex.def_local):
        ex.heap_escapes(ins, "mem")      # the copied bytes may hold a heap address
    n0 = len64(ex, st, lenop)
    tail_call_locals(ex, st, ins, [(dp, dn), (sp, sn)], n0)
    param_range_access(ex, st, [(d, dp, True), (s, sp, False)], n0)
    if lenop.kind != "int" or lenop.value > 256:
        n64 = sym_len(ex, st, lenop)
        check_range(ex, st, dp, dn, n64, arg_align(ins, name, 0), write=True)
        check_range(ex, st, sp, sn, n64, arg_align(ins, name, 1), write=False)
        if name.startswith("llvm.memcpy"):
            do, so, n66 = S.ZeroExt(10, ptr_off(dp)), S.ZeroExt(10, ptr_off(sp)), S.ZeroExt(2, n64)
            # overlap is UB, except for exactly equal regions (LangRef)
            ex.add_ub(st, S.And(n64 != 0, ptr_bid(dp) == ptr_bid(sp), do != so,
                                S.ULT(do, so + n66), S.ULT(so, do + n66)))
        sb, s_off, d_off = ptr_bid(sp), ptr_off(sp), ptr_off(dp)
        L0, NL0 = st.L, st.NL
        loc = locality(sb)

        def src_byte(a):
            # byte i of the destination range comes from byte i of the source range, read in the
            # memory BEFORE the call (memmove's semantics; for memcpy overlap is UB anyway)
            sa = mk_ptr(sb, s_off + (ptr_off(a) - d_off))
            if S.is_true(loc):
                return S.Select(L0, sa)
            if S.is_false(loc):
                return S.Select(NL0, sa)
            return S.If(loc, S.Select(L0, sa), S.Select(NL0, sa))
        store_range(ex, st, dp, n64, src_byte)
        return None
    n = lenop.value
    if n:
        ex.check_access(st, dp, dn, n, arg_align(ins, name, 0), write=True)
        ex.check_access(st, sp, sn, n, arg_align(ins, name, 1), write=False)
        if name.startswith("llvm.memcpy"):
            # overlapping memcpy is UB, except for exactly equal regions (LangRef)
            do, so = S.ZeroExt(8, ptr_off(dp)), S.ZeroExt(8, ptr_off(sp))
            ex.add_ub(st, S.And(ptr_bid(dp) == ptr_bid(sp), do != so, S.ULT(do, so + n), S.ULT(so, do + n)))
        ex.store_bytes(st, dp, ex.load_bytes(st, sp, n))
    return None


def _int_intrinsic(ins: Inst, n: int) -> None:
    if ins.ty.kind != "int" or len(ins.ops) != n + 1 or any(o.ty.kind != "int" for o in ins.ops[:-1]):
        raise Unsupported(ins.text)


def _popcount(a, w: int):
    return sum((S.ZeroExt(w - 1, S.Extract(i, i, a)) if w > 1 else S.Extract(i, i, a)) for i in range(w))


@intrinsic("llvm.ctpop")
def i_ctpop(ex, st, ins, name):
    _int_intrinsic(ins, 1)
    a, an = ex.operand(st, ins.ops[0])
    return _popcount(a, ins.ty.width), an


def _flag_operand(ex, st, ins, i):
    """An `i1 immarg` flag: must be a constant."""
    if ins.ops[i].kind != "int":
        raise Unsupported(ins.text + " (non-constant flag)")
    return ins.ops[i].value


@intrinsic("llvm.ctlz", "llvm.cttz")
def i_ctlz(ex, st, ins, name):
    _int_intrinsic(ins, 2)
    a, an = ex.operand(st, ins.ops[0])
    zero_poison = _flag_operand(ex, st, ins, 1)
    w = ins.ty.width
    bits = range(w - 1, -1, -1) if name.startswith("llvm.ctlz") else range(w)
    v = S.BitVecVal(w, w)
    for k, i in reversed(list(enumerate(bits))):
        v = S.If(S.Extract(i, i, a) == 1, S.BitVecVal(k, w), v)
    np_ = S.And(an, a != 0) if zero_poison else an
    return v, np_


@intrinsic("llvm.bswap")
def i_bswap(ex, st, ins, name):
    _int_intrinsic(ins, 1)
    w = ins.ty.width
    if w % 16:
        raise Unsupported(ins.text)
    a, an = ex.operand(st, ins.ops[0])
    return S.Concat(*[S.Extract(8 * i + 7, 8 * i, a) for i in range(w // 8)]), an


@intrinsic("llvm.bitreverse")
def i_bitreverse(ex, st, ins, name):
    _int_intrinsic(ins, 1)
    w = ins.ty.width
    a, an = ex.operand(st, ins.ops[0])
    return (S.Concat(*[S.Extract(i, i, a) for i in range(w)]) if w > 1 else a), an


@intrinsic("llvm.fshl", "llvm.fshr")
def i_fsh(ex, st, ins, name):
    _int_intrinsic(ins, 3)
    w = ins.ty.width
    (a, an), (b, bn), (c, cn) = (ex.operand(st, o) for o in ins.ops[:3])
    sh = S.ZeroExt(w, S.URem(c, S.BitVecVal(w, w)))
    cat = S.Concat(a, b)
    if name.startswith("llvm.fshl"):
        v = S.Extract(2 * w - 1, w, cat << sh)
    else:
        v = S.Extract(w - 1, 0, S.LShR(cat, sh))
    return v, S.And(an, bn, cn)


@intrinsic("llvm.uadd.sat", "llvm.usub.sat", "llvm.sadd.sat", "llvm.ssub.sat")
def i_sat(ex, st, ins, name):
    _int_intrinsic(ins, 2)
    w = ins.ty.width
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    kind = name.split(".")[1]
    umax, smax, smin = (1 << w) - 1, (1 << (w - 1)) - 1, 1 << (w - 1)
    if kind == "uadd":
        v = S.If(S.BVAddNoOverflow(a, b, False), a + b, S.BitVecVal(umax, w))
    elif kind == "usub":
        v = S.If(S.UGE(a, b), a - b, S.BitVecVal(0, w))
    else:
        wide = S.SignExt(1, a) + S.SignExt(1, b) if kind == "sadd" else S.SignExt(1, a) - S.SignExt(1, b)
        hi, lo = S.BitVecVal(smax, w + 1), S.BitVecVal((-smin) % (1 << (w + 1)), w + 1)
        v = S.If(wide > hi, S.BitVecVal(smax, w), S.If(wide < lo, S.BitVecVal(smin, w), S.Extract(w - 1, 0, wide)))
    return v, S.And(an, bn)


@intrinsic("llvm.ushl.sat", "llvm.sshl.sat")
def i_shl_sat(ex, st, ins, name):
    """A left shift that saturates instead of losing bits; poison for a shift of the width or more."""
    _int_intrinsic(ins, 2)
    w = ins.ty.width
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    r = a << b
    if name.startswith("llvm.ushl"):
        v = S.If(S.LShR(r, b) == a, r, S.BitVecVal((1 << w) - 1, w))
    else:
        sat = S.If(a < 0, S.BitVecVal(1 << (w - 1), w), S.BitVecVal((1 << (w - 1)) - 1, w))
        v = S.If(r >> b == a, r, sat)
    return v, S.And(an, bn, S.ULT(b, S.BitVecVal(w, w)))


@intrinsic("llvm.scmp", "llvm.ucmp")
def i_three_way_cmp(ex, st, ins, name):
    """-1, 0 or 1 as the first operand is less than, equal to or greater than the second."""
    if ins.ty.kind != "int" or len(ins.ops) != 3 or ins.ops[0].ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    lt = a < b if name.startswith("llvm.scmp") else S.ULT(a, b)
    v = S.If(a == b, S.BitVecVal(0, w), S.If(lt, S.BitVecVal((1 << w) - 1, w), S.BitVecVal(1, w)))
    return v, S.And(an, bn)
