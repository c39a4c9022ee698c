"""Values made of lanes: fixed vectors (`<N x T>`) and aggregates (structs, arrays).

Such a value is one (bits, non-poison) pair like a scalar, so phis, selects and
memory merge it with the same if-then-else.  Its lanes are its scalar leaves in
order (a vector's elements; an aggregate's fields flattened depth-first): the
bits are their concatenation, lane 0 lowest, and the non-poison part is a
bit-vector with one bit per lane (1: not poison).  Poison is per lane (LangRef);
an element-wise vector operation is the scalar operation on each lane
(handlers/vector.py runs the scalar handler per lane).  Only value algebra lives
here: splitting, joining, lane refinement, reinterpretation (bitcast) and where
each lane lies in memory; it knows nothing of the executor.
"""
from __future__ import annotations

from typing import Any

from lazycc.validator import smt as S
from lazycc.ir.model import Ty

Lane = tuple[Any, Any]   # (bits of the leaf, non-poison Bool)


def is_multi(ty: Ty) -> bool:
    return ty.kind in ("vec", "agg")


def leaves(ty: Ty) -> list[Ty]:
    """The scalar lanes of a vector or aggregate type, in order."""
    if ty.kind == "vec":
        return [ty.elem] * ty.lanes
    out: list[Ty] = []
    for f in ty.fields:
        out += leaves(f) if is_multi(f) else [f]
    return out


def lane_range(ty: Ty, path: tuple[int, ...]) -> tuple[int, int, Ty]:
    """(first lane, end lane, type) of the member at index `path` (extractvalue's indices)."""
    start, cur = 0, ty
    for i in path:
        kids = list(cur.fields) if cur.kind == "agg" else [cur.elem] * cur.lanes
        if not 0 <= i < len(kids):
            raise IndexError(i)
        start += sum(len(leaves(k)) if is_multi(k) else 1 for k in kids[:i])
        cur = kids[i]
    return start, start + (len(leaves(cur)) if is_multi(cur) else 1), cur


def split(v: Any, np_: Any, ty: Ty) -> list[Lane]:
    """The lanes of value (v, np_) of type `ty`, lane 0 first."""
    out, lo = [], 0
    for i, t in enumerate(leaves(ty)):
        out.append((S.Extract(lo + t.width - 1, lo, v), S.Extract(i, i, np_) == 1))
        lo += t.width
    return out


def pick(i: Any, ls: list[Lane]) -> Lane:
    """Lane `i` (a symbolic index; the last lane when it is out of range) of `ls`."""
    w = S.width(i)
    v, n = ls[-1]
    for k in range(len(ls) - 2, -1, -1):
        v = S.If(i == S.BitVecVal(k, w), ls[k][0], v)
        n = S.If(i == S.BitVecVal(k, w), ls[k][1], n)
    return v, n


def np_width(ty: Ty) -> int:
    """Bits of the non-poison part: one per lane (an empty aggregate has one, always set)."""
    return max(ty.lanes, 1)


def join(lanes: list[Lane]) -> tuple[Any, Any]:
    """The value made of `lanes` (lane 0 first); an empty aggregate is one constant bit, so all
    values of `{}` are equal and none is poison."""
    if not lanes:
        return S.BitVecVal(0, 1), S.BitVecVal(1, 1)
    vs = [v for v, _ in lanes]
    bits = [S.If(n, S.BitVecVal(1, 1), S.BitVecVal(0, 1)) for _, n in lanes]
    if len(lanes) == 1:
        return vs[0], bits[0]
    return S.Concat(*reversed(vs)), S.Concat(*reversed(bits))


def all_defined(ty: Ty) -> Any:
    return S.BitVecVal((1 << np_width(ty)) - 1, np_width(ty))


def defined(np_: Any, ty: Ty) -> Any:
    """No lane is poison (`noundef` on a vector or aggregate)."""
    return np_ == all_defined(ty)


def refinement_violations(ty: Ty, sv: Any, snp: Any, tv: Any, tnp: Any) -> tuple[Any, Any]:
    """(some lane is poison in tgt but not in src, some lane defined on both sides differs):
    such a value refines another lane by lane."""
    src, tgt = split(sv, snp, ty), split(tv, tnp, ty)
    poison = [S.And(sn, S.Not(tn)) for (_, sn), (_, tn) in zip(src, tgt)]
    value = [S.And(sn, tn, a != b) for (a, sn), (b, tn) in zip(src, tgt)]
    return S.Or(S.BoolVal(False), *poison), S.Or(S.BoolVal(False), *value)


def to_bits(v: Any, np_: Any, ty: Ty, big_endian: bool) -> tuple[Any, list[tuple[int, int, Any]]]:
    """A value as the bits a `bitcast` reinterprets (the in-register image of its in-memory
    layout: lane 0 lowest on little-endian, highest on big-endian), with the poison of each bit
    range (lo, hi, non-poison)."""
    if ty.kind != "vec":
        return v, [(0, ty.width, np_)]
    lanes = split(v, np_, ty)
    if big_endian:
        lanes = lanes[::-1]
    w = ty.elem.width
    return (S.Concat(*reversed([x for x, _ in lanes])) if len(lanes) > 1 else lanes[0][0],
            [(i * w, i * w + w, n) for i, (_, n) in enumerate(lanes)])


def from_bits(bits: Any, ranges: list[tuple[int, int, Any]], ty: Ty, big_endian: bool) -> tuple[Any, Any]:
    """The value of type `ty` that reinterprets `bits`: an element (or a scalar) is poison when any
    of its bits is (LangRef: bitcast)."""
    def np_of(lo: int, hi: int) -> Any:
        return S.And(*[n for a, b, n in ranges if a < hi and lo < b])
    if ty.kind != "vec":
        return bits, np_of(0, ty.width)
    w = ty.elem.width
    lanes = [(S.Extract(i * w + w - 1, i * w, bits), np_of(i * w, i * w + w)) for i in range(ty.lanes)]
    return join(lanes[::-1] if big_endian else lanes)


def byte_offsets(layout: Any, ty: Ty) -> list[int]:
    """Where each lane starts in memory (the module's layout); a lane that is not whole bytes
    (i1 elements, i17 fields) raises ValueError: packed bits are not modelled."""
    if ty.kind == "vec":
        if ty.elem.width % 8:
            raise ValueError(f"{ty} has sub-byte lanes")
        return [i * (ty.elem.width // 8) for i in range(ty.lanes)]
    out = []
    struct = layout.is_struct(ty.text)
    for k, f in enumerate(ty.fields):
        base = layout.field_offset(ty.text, k) if struct else k * layout.alloc_size(f.text)
        if is_multi(f):
            out += [base + o for o in byte_offsets(layout, f)]
        elif f.kind == "int" and f.width % 8:
            raise ValueError(f"{f} is not whole bytes")
        else:
            out.append(base)
    return out


def fmt(lanes: list[str], ty: Ty) -> str:
    return ("< " if ty.kind == "vec" else "{ ") + ", ".join(lanes) + (" >" if ty.kind == "vec" else " }")
