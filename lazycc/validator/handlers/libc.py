"""libc functions with a model of their own (strlen, memchr, memcmp/bcmp, ffs, fabs): exact
up to STRING_BOUND bytes, an unknown (shared) result beyond."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from lazycc.validator import smt as S
from lazycc.validator.callsite import LIBC_MODELLED
from lazycc.validator.handlers.access import check_range
from lazycc.validator.handlers.intrinsics import i_fabs
from lazycc.ir.model import Inst
from lazycc.validator.memory import (PTRW, is_local_bid, ite_chain, known_value, mk_ptr, ptr_bid, ptr_off,
                                     width_of)
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


# -- C library functions modelled exactly over a bounded prefix (local memory included)
STRING_BOUND = 64   # bytes read exactly by strlen/memcmp models; beyond: an unknown result


def _byte_at(ex: Exec, st: NodeState, p, i: int) -> Any:
    return ex.load_bytes(st, mk_ptr(ptr_bid(p), ptr_off(p) + i) if i else p, 1)[0]


def _in_bounds(ex: Exec, st: NodeState, p, i: int) -> Any:
    """Byte i of p can be read: not null, inside a live block."""
    b = ptr_bid(p)
    return S.And(b != 0, S.ULT(S.ZeroExt(8, ptr_off(p)) + i, ex.block_size(b)), ex.alive(st, b))


def _unknown(ex: Exec, st: NodeState, name: str, args: list[Any], w: int, ptrs: list[Any],
             suffix: str = "unknown") -> Any:
    """A deterministic but unknown result: a function of the arguments and of the memory the
    call may read.  Pointers `ptrs` into non-local blocks read non-local memory only (a string
    does not run from one block into another: reading past its block is UB), so there it is
    a function of non-local memory alone; the local part of memory differs between a source
    and a target whenever one has an alloca the other has not (a lazification's thunk), and
    a function of it would differ too: a false "incorrect"."""
    def uf(vals: list[Any], tag: str) -> Any:
        return ex.sh.uf(f"lib.{name}.{suffix}{tag}", *[S.sort_of(v) for v in vals],
                        S.BitVecSort(w) if w else S.BoolSort())(*vals)
    nonlocal_only = uf([*args, st.NL], ".nl")
    if not ptrs:
        return nonlocal_only
    return S.If(S.Or(*[is_local_bid(ptr_bid(p)) for p in ptrs]), uf([*args, st.NL, st.L], ""), nonlocal_only)


def _bound_for(ex: Exec, p) -> int:
    kb = known_value(ptr_bid(p))
    name = ex.sh.gname.get(kb) if kb is not None else None
    size = ex.sh.gsize.get(name) if name else None
    return max(STRING_BOUND, min(size, 4096)) if size else STRING_BOUND


def _scan_bytes(ex: Exec, st: NodeState, p, n: int, stop: Callable[[Any], Any],
                value: Callable[[int], Any]) -> tuple[list[tuple[Any, Any]], list[Any]]:
    """Read bytes p[0..n) in order until `stop` (of the byte's value) holds, as the C library
    does: UB where a byte it must read is out of bounds.  Returns (reached and stopping at i,
    value(i)) per byte, and the conditions that a byte it must read is poison."""
    reach = S.BoolVal(True)      # every byte before i is non-poison and not a stop
    ub, items, poison = [], [], []
    for i in range(n):
        byte = _byte_at(ex, st, p, i)
        ok, hit = S.Extract(8, 8, byte) == 1, stop(S.Extract(7, 0, byte))
        ub.append(S.And(reach, S.Not(_in_bounds(ex, st, p, i))))
        items.append((S.And(reach, ok, hit), value(i)))
        poison.append(S.And(reach, S.Not(ok)))
        reach = S.And(reach, ok, S.Not(hit))
        if S.is_false(reach):
            break
    ex.add_ub(st, S.Or(S.BoolVal(False), *ub))
    return items, poison


def _beyond(items: list[tuple[Any, Any]], poison: list[Any]) -> Any:
    """The scan went past its last byte: no stop and no poison byte was reached."""
    return S.Not(S.Or(S.BoolVal(False), *[c for c, _ in items], *poison))


def lib_strlen(ex: Exec, st: NodeState, ins: Inst):
    """strlen(p): the index of the first zero byte.  Exact when it is within the bound; UB
    when a byte it must read is out of bounds (a reachable read: every earlier byte is a
    non-poison non-zero); poison when such a byte is poison; beyond the bound an unknown
    deterministic value."""
    p, pn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Not(pn))
    n = _bound_for(ex, p)
    result = _unknown(ex, st, "strlen", [p], 64, [p])
    items, poison = _scan_bytes(ex, st, p, n, lambda b: b == 0, lambda i: S.BitVecVal(i, 64))
    # beyond the bound: reading on may run out of the block (UB) as the bytes decide, the same
    # function on both sides (a target that adds a strlen is not thereby free of its UB)
    ex.add_ub(st, S.And(_beyond(items, poison), _unknown(ex, st, "strlen", [p], 0, [p], "ub")))
    v = ite_chain(items, result)
    w = width_of(ins.ty)
    # a poison byte read before the terminator makes the result poison (LLVM folds
    # strlen(p) == 0 to a load of p[0])
    return (S.Extract(w - 1, 0, v) if w < 64 else v), S.Not(S.Or(*poison))


def lib_memchr(ex: Exec, st: NodeState, ins: Inst):
    """memchr(p, c, n) for a constant n within the bound: p + i for the first i < n whose byte is
    (unsigned char)c, else null.  Bytes are read in order and reading stops at the match (C11
    7.24.5.1): UB when a byte it must read is out of bounds; poison when such a byte is poison.
    A variable or larger n, or a local p (the result would be an untracked local address), is
    not modelled."""
    po, co, no = ins.ops[:3]
    if no.kind != "int" or no.value > STRING_BOUND or (po.kind == "ref" and po.key in ex.maybe_local):
        raise Unsupported(f"{ins.text} (memchr of a variable length or local memory)")
    (p, pn), (c, cn) = ex.operand(st, po), ex.operand(st, co)
    ex.add_ub(st, S.Or(S.Not(pn), S.Not(cn)))
    items, poison = _scan_bytes(ex, st, p, no.value, lambda b: b == S.Extract(7, 0, c),
                                lambda i: ex.moved(p, S.BitVecVal(i, 64)))
    return ite_chain(items, S.BitVecVal(0, PTRW)), S.Not(S.Or(S.BoolVal(False), *poison))


def lib_memcmp(ex: Exec, st: NodeState, ins: Inst):
    """memcmp/bcmp(p, q, n): 0 when the n bytes agree, else for memcmp the sign of the first
    differing (unsigned) byte; the magnitude (and bcmp's non-zero value) is a choice of
    the implementation.  Exact for a constant n within the bound (bytes read must be in
    bounds: UB otherwise; a poison byte makes the result poison); otherwise unknown except
    that equal pointers or n = 0 give 0."""
    name = ins.ops[-1].name
    (p, pn), (q, qn), (n, nn) = (ex.operand(st, o) for o in ins.ops[:3])
    ex.add_ub(st, S.Or(S.Not(pn), S.Not(qn), S.Not(nn)))
    w = width_of(ins.ty)
    # the magnitude is the library's to choose (C: "greater than zero"): a choice of each
    # side per call, the source's resolved angelically
    mag = ex.sh.choice(ex.side, ex.sh.fresh(f"{name}.{ex.side}", w))
    lenop = ins.ops[2]
    if lenop.kind != "int" or lenop.value > STRING_BOUND:
        n64 = n if width_of(lenop.ty) == 64 else S.ZeroExt(64 - width_of(lenop.ty), n)
        check_range(ex, st, p, pn, n64, 1, write=False)
        check_range(ex, st, q, qn, n64, 1, write=False)
        v = S.If(S.Or(n64 == 0, p == q), S.BitVecVal(0, w), _unknown(ex, st, name + ".n", [p, q, n], w, [p, q]))
        return v, S.BoolVal(True)
    size = lenop.value
    if size:
        ex.check_access(st, p, pn, size, 1, write=False)
        ex.check_access(st, q, qn, size, 1, write=False)
    pb = ex.load_bytes(st, p, size) if size else []
    qb = ex.load_bytes(st, q, size) if size else []
    poison = S.Or(*[S.Or(S.Extract(8, 8, a) == 0, S.Extract(8, 8, b) == 0) for a, b in zip(pb, qb)]) \
        if size else S.BoolVal(False)
    zero, pos, neg = S.BitVecVal(0, w), S.BoolVal(False), S.BoolVal(False)
    same = S.BoolVal(True)
    for a, b in zip(pb, qb):
        a8, b8 = S.Extract(7, 0, a), S.Extract(7, 0, b)
        pos = S.Or(pos, S.And(same, S.UGT(a8, b8)))
        neg = S.Or(neg, S.And(same, S.ULT(a8, b8)))
        same = S.And(same, a8 == b8)
    if name == "bcmp":
        nz = S.If(mag == 0, S.BitVecVal(1, w), mag)
        v = S.If(same, zero, nz)
    else:
        posv = S.If(mag > 0, mag, S.BitVecVal(1, w))              # signed comparisons
        negv = S.If(mag < 0, mag, S.BitVecVal((1 << w) - 1, w))
        v = S.If(same, zero, S.If(pos, posv, negv))
    v = S.If(S.Or(p == q, size == 0), zero, v)
    return v, S.Or(p == q, size == 0, S.Not(poison))


def lib_ffs(ex: Exec, st: NodeState, ins: Inst):
    """ffs/ffsl/ffsll(x): 0 for 0, else 1 + the index of the lowest set bit (POSIX)."""
    a, an = ex.operand(st, ins.ops[0])
    wa, w = width_of(ins.ops[0].ty), width_of(ins.ty)
    v = S.BitVecVal(0, w)
    for i in reversed(range(wa)):
        v = S.If(S.Extract(i, i, a) == 1, S.BitVecVal(i + 1, w), v)
    return v, an


LIBC_MODELS: dict[str, Callable] = {"strlen": lib_strlen, "memcmp": lib_memcmp, "bcmp": lib_memcmp,
                                    "ffs": lib_ffs, "ffsl": lib_ffs, "ffsll": lib_ffs, "memchr": lib_memchr,
                                    "fabs": lambda ex, st, ins: i_fabs(ex, st, ins, "fabs"),
                                    "fabsf": lambda ex, st, ins: i_fabs(ex, st, ins, "fabsf")}
assert set(LIBC_MODELS) == LIBC_MODELLED, "callsite.LIBC_MODELLED names the models"
