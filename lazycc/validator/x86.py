"""x86 SIMD intrinsics (`llvm.x86.*`) with two vector operands, as functions of lanes.

The semantics are Intel's, with LLVM's poison rules as Alive2 models them: a
lane is poison when a lane it is computed from is (a shift by a count vector:
when any lane of the count's low 64 bits is).  Only value algebra: lanes in,
lanes out; handlers/vector.py feeds them.  Names not listed here stay unsupported.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from lazycc.validator import lanes
from lazycc.validator import smt as S

Lane = lanes.Lane


def _sat(v: Any, w: int, signed: bool = True) -> Any:
    """Saturate a (w+1)-bit or wider signed value to w bits."""
    big = S.width(v)
    hi, lo = (1 << (w - 1)) - 1, -(1 << (w - 1))
    return S.If(v > S.BitVecVal(hi, big), S.BitVecVal(hi, w),
                S.If(v < S.BitVecVal(lo % (1 << big), big), S.BitVecVal(lo % (1 << w), w), S.Extract(w - 1, 0, v)))


def _shift(kind: str, a: Any, n: Any, too_big: Any) -> Any:
    w = S.width(a)
    if kind == "rl":
        return S.If(too_big, S.BitVecVal(0, w), S.LShR(a, n))
    if kind == "ll":
        return S.If(too_big, S.BitVecVal(0, w), a << n)
    return S.If(too_big, S.If(a < 0, S.BitVecVal(-1 % (1 << w), w), S.BitVecVal(0, w)), a >> n)


def _shift_by_count(kind: str) -> Callable:
    def f(a: list[Lane], b: list[Lane], w: int) -> list[Lane]:
        bw = S.width(b[0][0])
        low = b[:64 // bw]
        count = S.Concat(*reversed([v for v, _ in low])) if len(low) > 1 else low[0][0]
        ok = S.And(*[n for _, n in low])
        too_big = S.UGE(count, S.BitVecVal(w, 64))
        n = S.Extract(w - 1, 0, count) if w < 64 else count
        return [(_shift(kind, v, n, too_big), S.And(ok, an)) for v, an in a]
    return f


def _vertical(fn: Callable[[Any, Any], Any]) -> Callable:
    def f(a: list[Lane], b: list[Lane], w: int) -> list[Lane]:
        return [(fn(x, y), S.And(xn, yn)) for (x, xn), (y, yn) in zip(a, b)]
    return f


def _pavg(x: Any, y: Any) -> Any:
    w = S.width(x)
    s = S.ZeroExt(1, x) + S.ZeroExt(1, y) + S.BitVecVal(1, w + 1)
    return S.Extract(w - 1, 0, S.LShR(s, S.BitVecVal(1, w + 1)))


def _psign(x: Any, y: Any) -> Any:
    w = S.width(x)
    return S.If(y == 0, y, S.If(y < 0, S.BitVecVal(0, w) - x, x))


def _mulh(signed: bool) -> Callable:
    def fn(x: Any, y: Any) -> Any:
        ext = S.SignExt if signed else S.ZeroExt
        return S.Extract(31, 16, ext(16, x) * ext(16, y))
    return fn


def _pshufb(a: list[Lane], b: list[Lane], w: int) -> list[Lane]:
    out = []
    for i, (bv, bn) in enumerate(b):
        r, rn = lanes.pick((bv & S.BitVecVal(0x0F, 8)) + S.BitVecVal(i & 0x30, 8), a)
        out.append((S.If(S.Extract(7, 7, bv) == 0, r, S.BitVecVal(0, 8)), S.And(bn, rn)))
    return out


def _horizontal(fn: Callable[[Any, Any], Any]) -> Callable:
    def f(a: list[Lane], b: list[Lane], w: int) -> list[Lane]:
        group = 128 // w
        out = []
        for j in range(len(a) // group):
            for src in (a, b):
                for i in range(0, group, 2):
                    (x, xn), (y, yn) = src[j * group + i], src[j * group + i + 1]
                    out.append((fn(x, y), S.And(xn, yn)))
        return out
    return f


def _pmadd(bytes_: bool) -> Callable:
    def f(a: list[Lane], b: list[Lane], w: int) -> list[Lane]:
        out = []
        for i in range(len(a) // 2):
            (a1, a1n), (a2, a2n) = a[2 * i], a[2 * i + 1]
            (b1, b1n), (b2, b2n) = b[2 * i], b[2 * i + 1]
            np_ = S.And(a1n, a2n, b1n, b2n)
            if bytes_:   # unsigned bytes × signed bytes, pairs added with signed saturation
                p1, p2 = S.ZeroExt(8, a1) * S.SignExt(8, b1), S.ZeroExt(8, a2) * S.SignExt(8, b2)
                out.append((_sat(S.SignExt(1, p1) + S.SignExt(1, p2), 16), np_))
            else:
                out.append((S.SignExt(16, a1) * S.SignExt(16, b1) + S.SignExt(16, a2) * S.SignExt(16, b2), np_))
        return out
    return f


_OPS: list[tuple[str, Callable]] = [
    (r"ps(rl|ra|ll)\.[wdq](\.\d+)?", None),   # by the count in b's low 64 bits (resolved below)
    (r"ps(rl|ra|ll)v\.[wdq](\.\d+)?", None),
    (r"pavg\.[bw](\.\d+)?", _vertical(_pavg)),
    (r"psign\.[bwd](\.128)?", _vertical(_psign)),
    (r"pmulh\.w(\.\d+)?", _vertical(_mulh(True))),
    (r"pmulhu\.w(\.\d+)?", _vertical(_mulh(False))),
    (r"pshuf\.b(\.\d+)?", _pshufb),
    (r"phadd\.[wd](\.128)?", _horizontal(lambda x, y: x + y)),
    (r"phsub\.[wd](\.128)?", _horizontal(lambda x, y: x - y)),
    (r"phadd\.sw(\.128)?", _horizontal(lambda x, y: _sat(S.SignExt(1, x) + S.SignExt(1, y), S.width(x)))),
    (r"phsub\.sw(\.128)?", _horizontal(lambda x, y: _sat(S.SignExt(1, x) - S.SignExt(1, y), S.width(x)))),
    (r"pmadd\.wd|pmaddw\.d\.512", _pmadd(False)),
    (r"pmadd\.ub\.sw(\.128)?|pmaddubs\.w\.512", _pmadd(True)),
]


def binop(name: str) -> Callable[[list[Lane], list[Lane], int], list[Lane]] | None:
    """The lane function of `llvm.x86.<isa>.<op>` (a, b, element width of a) or None."""
    m = re.fullmatch(r"llvm\.x86\.(?:sse2|ssse3|avx2|avx512)\.(.*)", name)
    if not m:
        return None
    op = m.group(1)
    for pattern, fn in _OPS:
        mm = re.fullmatch(pattern, op)
        if not mm:
            continue
        if fn is None and op.split(".")[0].endswith("v"):   # per-lane counts
            kind = mm.group(1)
            return _vertical(lambda x, y, kind=kind: _shift(kind, x, y, S.UGE(y, S.BitVecVal(S.width(x), S.width(x)))))
        if fn is None:
            return _shift_by_count(mm.group(1))
        return fn
    return None
