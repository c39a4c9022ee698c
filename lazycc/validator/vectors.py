"""Fixed vectors (`<N x T>`, T an integer or FP type) as values of the encoding.

A vector is one (bits, lanes-defined) pair like a scalar, so phis, selects and
memory merge it with the same if-then-else: the bits are a bit-vector of N×w
with lane i at bits [i·w, (i+1)·w), and the non-poison part is a bit-vector of
N bits whose bit i is 1 when lane i is not poison.  Poison is per lane
(LangRef); an operation on lanes is the scalar operation on each lane
(semantics.py runs the scalar handler per lane).  Only value algebra lives here:
splitting, joining, lane refinement, reinterpretation (bitcast) and the byte
image in memory; it knows nothing of the executor.
"""
from __future__ import annotations

from typing import Any

from lazycc.validator import smt as S
from lazycc.validator.irmodel import Ty

Lane = tuple[Any, Any]   # (bits of the element, non-poison Bool)


def split(v: Any, np_: Any, ty: Ty) -> list[Lane]:
    """The lanes of vector value (v, np_) of type `ty`, lane 0 first."""
    w = ty.elem.width
    return [(S.Extract(w * i + w - 1, w * i, v), S.Extract(i, i, np_) == 1) for i in range(ty.lanes)]


def join(lanes: list[Lane]) -> tuple[Any, Any]:
    """The vector value made of `lanes` (lane 0 first)."""
    vs = [v for v, _ in lanes]
    bits = [S.If(n, S.BitVecVal(1, 1), S.BitVecVal(0, 1)) for _, n in lanes]
    if len(lanes) == 1:
        return vs[0], bits[0]
    return S.Concat(*reversed(vs)), S.Concat(*reversed(bits))


def all_poison(ty: Ty) -> tuple[Any, Any]:
    return S.BitVecVal(0, ty.width), S.BitVecVal(0, ty.lanes)


def defined(np_: Any, ty: Ty) -> Any:
    """No lane is poison (`noundef` on a vector)."""
    return np_ == S.BitVecVal((1 << ty.lanes) - 1, ty.lanes)


def refinement_violations(ty: Ty, sv: Any, snp: Any, tv: Any, tnp: Any) -> tuple[Any, Any]:
    """(some lane is poison in tgt but not in src, some lane defined on both sides differs):
    a vector refines another lane by lane."""
    src, tgt = split(sv, snp, ty), split(tv, tnp, ty)
    poison = S.Or(*[S.And(sn, S.Not(tn)) for (_, sn), (_, tn) in zip(src, tgt)])
    value = S.Or(*[S.And(sn, tn, a != b) for (a, sn), (b, tn) in zip(src, tgt)])
    return poison, value


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


def fmt(lanes: list[str]) -> str:
    return "< " + ", ".join(lanes) + " >"
