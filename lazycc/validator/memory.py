"""Pointer and memory model helpers (Alive2's `ir/pointer` + `ir/memory`, value level).

- a pointer is a 64-bit vector: block id in bits 63..56 (0 = null, 1..127 non-local:
  globals, functions, memory reachable from arguments; 128..255 local: allocas and heap
  blocks of this call), offset in bits 55..0;
- memory is two arrays from pointer to 9-bit bytes (bit 8 = not poison): `NL` (non-local,
  initially the shared symbolic `mem0`) and `L` (local, initially all poison);
- values to and from bytes (`to_bytes`, `from_bytes`), widths of IR types.
Stateful parts (block sizes, addresses, liveness) are methods of executor.Exec.
"""
from __future__ import annotations

from typing import Any

from lazycc.validator import smt as S
from lazycc.ir.model import FP_KINDS, Ty
from lazycc.validator.state import Unsupported


PTRW = 64
OFFW = 56
LIVE_OFF = (1 << 56) - 1   # where a non-local block's liveness is kept (see Exec.nonlocal_alive)
MEM_SORT_IDX = 64
BYTE = 9


def or_all(terms: list[Any]) -> Any:
    terms = [t for t in terms if not S.const_false(t)]
    if not terms:
        return S.BoolVal(False)
    return terms[0] if len(terms) == 1 else S.Or(*terms)


def ite_chain(items: list[tuple[Any, Any]], default: Any) -> Any:
    v = default
    for c, x in reversed(items):
        v = x if S.same(x, v) else S.If(c, x, v)
    return v


def in_blocks(a, bids) -> Any:
    """Address `a` lies in one of the blocks `bids`."""
    b = ptr_bid(a)
    return S.Or(S.BoolVal(False), *[b == bid for bid in bids])


def ptr_bid(p):
    return S.Extract(63, 56, p)


def ptr_off(p):
    return S.Extract(55, 0, p)


def mk_ptr(bid, off56):
    return S.Concat(bid, off56)


def aligned(addr, align: int):
    """`addr` is a multiple of `align` (a power of two)."""
    k = max(align.bit_length() - 1, 0)
    return S.BoolVal(True) if k == 0 else S.Extract(k - 1, 0, addr) == 0


def is_local_bid(b):
    return S.Extract(7, 7, b) == 1


def known_value(x) -> int | None:
    """The value of a (small) bit-vector term when every bit is fixed structurally."""
    v = 0
    for i in range(S.width(x)):
        kb = S.known_bit(x, i)
        if kb is None:
            return None
        v |= kb << i
    return v


def locality(b) -> Any:
    """`is_local_bid(b)` as the literal true/false when the term's structure decides it."""
    kb = S.known_bit(b, 7)
    if kb is not None:
        return S.BoolVal(kb == 1)
    return S.simplify(is_local_bid(b))


def nonlocal_ptr(v):
    """`v` with the local bit of its block id cleared: for pointers that cannot point into this
    call's allocas in any real execution (call and loop-summary results; pointers loaded from
    memory that cannot hold a local address: local_taint).  Only encodings of states that are
    not real ones change; the syntactic form lets `is_local_bid` simplify to false, so stores
    through such pointers update non-local memory only."""
    return S.Concat(S.BitVecVal(0, 1), S.Extract(62, 0, v))


def width_of(t: Ty) -> int:
    if t.kind in ("int", "vec", "agg") or t.kind in FP_KINDS:
        return t.width or 1     # an empty aggregate: one constant bit (lanes.join)
    if t.kind == "ptr":
        return PTRW
    if t.kind == "void":
        return 1
    raise Unsupported(f"type {t.text}")


def to_bytes(v, np_, t: Ty, n: int) -> list[Any]:
    w = width_of(t)
    vv = S.ZeroExt(n * 8 - w, v) if n * 8 > w else v
    npb = S.If(np_, S.BitVecVal(1, 1), S.BitVecVal(0, 1))
    return [S.Concat(npb, S.Extract(8 * i + 7, 8 * i, vv)) for i in range(n)]


def from_bytes(bs: list[Any], t: Ty) -> tuple[Any, Any]:
    w = width_of(t)
    vals = [S.Extract(7, 0, x) for x in bs]
    v = vals[0] if len(vals) == 1 else S.Concat(*reversed(vals))
    if len(vals) * 8 > w:
        v = S.Extract(w - 1, 0, v)
    np_ = S.And(*[S.Extract(8, 8, x) == 1 for x in bs])
    return v, np_
