"""Checked memory accesses shared by loads, stores, memory intrinsics, libc and heap models:
UB of an access (`checked_access`, `check_range`), parameter access promises, symbolic
lengths, byte-range stores, and the `tail call` rule for local pointers."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lazycc.validator import smt as S
from lazycc.ir.model import FP_KINDS, Op, Ty
from lazycc.validator.memory import OFFW, PTRW, aligned, is_local_bid, locality, ptr_bid, ptr_off
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


def nbytes(ex: Exec, t: Ty) -> int:
    if t.kind == "int" and t.width % 8 and ex.layout.big_endian:
        raise Unsupported(f"memory access of type {t.text} on a big-endian layout")
    if t.kind == "int":
        return (t.width + 7) // 8
    if t.kind == "ptr":
        return 8
    if t.kind in FP_KINDS:
        return (t.width + 7) // 8   # store size (x86_fp80: 10 bytes)
    raise Unsupported(f"memory access of type {t.text}")


def checked_access(ex: Exec, st: NodeState, pop: Op, p, pn, n: int, align: int, write: bool) -> None:
    """The UB of an n-byte load or store through operand `pop` (value p, pn): the block's bounds,
    liveness, alignment and writability, and what the parameters' access attributes forbid."""
    ex.check_access(st, p, pn, n, align, write)
    ex.param_access(st, pop, p, write)


def sym_len(ex, st, lenop) -> Any:
    """A memory intrinsic's length as a 64-bit value; a poison length is UB (as in Alive2)."""
    if lenop.ty.kind != "int" or lenop.ty.width > 64:
        raise Unsupported(f"memory intrinsic length of type {lenop.ty}")
    n, nn = ex.operand(st, lenop)
    ex.add_ub(st, S.Not(nn))
    return S.ZeroExt(64 - lenop.ty.width, n) if lenop.ty.width < 64 else n


def param_range_access(ex, st, accesses, n64) -> None:
    """readonly/readnone/writeonly parameters accessed by a memory intrinsic (a non-zero length)."""
    for op, p, write in accesses:
        ex.param_access(st, op, p, write, when=n64 != 0)


def len64(ex, st, lenop) -> Any:
    """A memory intrinsic's length as a 64-bit value (no UB added)."""
    if lenop.kind == "int":
        return S.BitVecVal(lenop.value, 64)
    return sym_len(ex, st, lenop)


def check_range(ex, st, p, pnp, n64, align: int, write: bool) -> None:
    """UB conditions of accessing [p, p+n) for a symbolic n (nothing when n == 0).

    Sums are computed in 66 bits (no wrap-around).  A range that does not fit in the 56-bit
    offset space is UB: no real object is that large, so it exceeds its object."""
    b = ptr_bid(p)
    o, n66 = S.ZeroExt(10, ptr_off(p)), S.ZeroExt(2, n64)
    end = o + n66
    bad = [S.Not(pnp), b == 0, S.ULT(S.ZeroExt(2, ex.block_size(b)), end),
           S.UGT(end, S.BitVecVal(1 << OFFW, 66)), S.Not(ex.alive(st, b))]
    if align > 1:
        bad.append(S.Not(aligned(ex.addr_of(p), align)))
    if write:
        bad += ex.write_bad(b)
    ex.add_ub(st, S.And(n64 != 0, S.Or(*bad)))


def store_range(ex, st, p, n64, byte_at) -> None:
    """Memory after writing `byte_at(a)` to every address a in [p, p+n): an array lambda,
    exact for any n (the bytes outside the range are the old ones)."""
    # One name for every bound variable: lambdas are closed terms, and equal names make equal
    # updates in src and tgt the same term (hash-consed), which the solver then gets for free.
    a = S.BitVec("range.a", PTRW)
    b, off = ptr_bid(p), ptr_off(p)
    inside = S.And(ptr_bid(a) == b, S.UGE(ptr_off(a), off),
                   S.ULT(S.ZeroExt(8, ptr_off(a) - off), n64))
    loc = locality(b)
    byte = byte_at(a)
    newL = S.Lambda([a], S.If(inside, byte, S.Select(st.L, a)))
    newNL = S.Lambda([a], S.If(inside, byte, S.Select(st.NL, a)))
    if S.is_true(loc):
        st.L = newL
    elif S.is_false(loc):
        st.NL = newNL
    else:
        st.L, st.NL = S.If(loc, newL, st.L), S.If(loc, st.NL, newNL)


_TAIL = re.compile(r"(?:^|[\s=])tail call\b")


def tail_call_locals(ex, st, ins, ptrs, n64) -> None:
    """A `tail` call promises that the callee does not access the caller's allocas (LangRef).
    Target: UB when a pointer argument is a local address (Alive2's rule, which does not look
    at the access: the stricter reading).  Source: UB only when the intrinsic does access it
    (a non-zero length)."""
    if not _TAIL.search(ins.text):
        return
    local = S.Or(*[S.And(pn, is_local_bid(ptr_bid(p))) for p, pn in ptrs])
    ex.add_ub(st, local if ex.side == "tgt" else S.And(n64 != 0, local))
