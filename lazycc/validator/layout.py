"""Sizes, alignments and field offsets of IR types, from the module's data layout.

The validator needs them for allocas, GEPs and loads/stores.  They follow the
module's `target datalayout` string with LLVM's rules (an integer type takes
the alignment of the smallest specified integer width at least as wide, else
of the widest; aggregates the largest field alignment); a module without one
gets LLVM's default layout (where i64 is only 4-aligned).  What the validator
does not model -- big-endian layouts, pointers that are not 64 bits --
raises `UnsupportedLayout`, so such a module is never judged with the wrong
layout.
"""
from __future__ import annotations

import re


def split_top(s: str, sep: str = ",") -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "{[<(":
            depth += 1
        elif ch in "}]>)":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


class UnsupportedLayout(ValueError):
    """A data layout the validator does not model (pointers that are not 64 bits)."""


# LLVM's defaults (DataLayout.cpp): bit width -> ABI alignment in bytes.
_DEFAULT_INT = {1: 1, 8: 1, 16: 2, 32: 4, 64: 4}
_DEFAULT_FP = {16: 2, 32: 4, 64: 8, 128: 16}
_FP_WIDTH = {"half": 16, "bfloat": 16, "float": 32, "double": 64, "fp128": 128, "x86_fp80": 80,
             "ppc_fp128": 128}
_FP_STORE = {"half": 2, "bfloat": 2, "float": 4, "double": 8, "fp128": 16, "x86_fp80": 10, "ppc_fp128": 16}


# A fixed vector of integers or of the FP types a vector's layout is defined for here.
_VECTOR = re.compile(r"<(\d+) x (i\d+|half|bfloat|float|double)>")


def check_datalayout(dl: str) -> None:
    """Raise UnsupportedLayout for layouts this model cannot represent."""
    for part in dl.split("-"):
        m = re.fullmatch(r"p(\d*):(\d+):.*", part)
        if m and (m.group(1) in ("", "0")) and m.group(2) != "64":
            raise UnsupportedLayout(f"{m.group(2)}-bit pointers")


class Layout:
    def __init__(self, structs: dict[str, str], datalayout: str = ""):
        self.structs = structs
        self.datalayout = datalayout
        self.big_endian = "E" in (datalayout.split("-") if datalayout else [])
        self.int_align = dict(_DEFAULT_INT)
        self.fp_align = dict(_DEFAULT_FP)
        self.vec_align: dict[int, int] = {}
        for part in datalayout.split("-") if datalayout else []:
            m = re.fullmatch(r"([ifv])(\d+):(\d+)(?::\d+)?", part)
            if m:
                table = {"i": self.int_align, "f": self.fp_align, "v": self.vec_align}[m.group(1)]
                table[int(m.group(2))] = max(int(m.group(3)) // 8, 1)

    def _int_abi_align(self, w: int) -> int:
        wider = [k for k in sorted(self.int_align) if k >= w]
        return self.int_align[wider[0]] if wider else self.int_align[max(self.int_align)]

    def resolve(self, t: str) -> str:
        t = t.strip()
        seen = 0
        while t.startswith("%") and seen < 50:
            if t not in self.structs:
                raise ValueError(f"unknown type {t}")
            t = self.structs[t]
            seen += 1
        if t == "opaque":
            raise ValueError("opaque struct")
        return t

    def fields(self, t: str) -> tuple[list[str], bool]:
        t = self.resolve(t)
        packed = t.startswith("<{")
        inner = t[2:-2] if packed else t[1:-1]
        return split_top(inner), packed

    def vector_bits(self, t: str) -> int | None:
        """All lanes' bits of a fixed vector of integers or float/double/half (LLVM's type size);
        None if `t` is not one."""
        m = _VECTOR.fullmatch(t)
        if not m:
            return None
        e = m.group(2)
        return int(m.group(1)) * (int(e[1:]) if e.startswith("i") else _FP_WIDTH[e])

    def size(self, t: str) -> int:
        t = self.resolve(t)
        bits = self.vector_bits(t)
        if bits is not None:
            return (bits + 7) // 8                 # store size: lanes are bit-packed
        if re.fullmatch(r"i\d+", t):
            return (int(t[1:]) + 7) // 8          # store size
        if t == "ptr":
            return 8
        if t in _FP_STORE:
            return _FP_STORE[t]
        m = re.fullmatch(r"\[(\d+) x (.*)\]", t)
        if m:
            return int(m.group(1)) * self.alloc_size(m.group(2))
        if t.startswith("{") or t.startswith("<{"):
            offs, end = self._struct_layout(t)
            return end
        raise ValueError(f"unsupported type {t}")

    def alloc_size(self, t: str) -> int:
        s, a = self.size(t), self.align(t)
        return (s + a - 1) // a * a

    def align(self, t: str) -> int:
        t = self.resolve(t)
        bits = self.vector_bits(t)
        if bits is not None:
            # a `v<bits>:<abi>` entry, else LLVM's natural alignment: the store size rounded up to
            # a power of two
            return self.vec_align.get(bits) or 1 << max((bits + 7) // 8 - 1, 0).bit_length()
        if re.fullmatch(r"i\d+", t):
            return self._int_abi_align(int(t[1:]))
        if t == "ptr":
            return 8
        if t in _FP_WIDTH:
            w = _FP_WIDTH[t]
            if w in self.fp_align:
                return self.fp_align[w]
            raise ValueError(f"unsupported type {t}")
        m = re.fullmatch(r"\[(\d+) x (.*)\]", t)
        if m:
            return self.align(m.group(2))
        if t.startswith("<{"):
            return 1
        if t.startswith("{"):
            fs, _ = self.fields(t)
            return max([self.align(f) for f in fs] or [1])
        raise ValueError(f"unsupported type {t}")

    def _struct_layout(self, t: str) -> tuple[list[int], int]:
        fs, packed = self.fields(t)
        off, offs, maxa = 0, [], 1
        for f in fs:
            a = 1 if packed else self.align(f)
            maxa = max(maxa, a)
            off = (off + a - 1) // a * a
            offs.append(off)
            off += self.alloc_size(f) if not packed else self.size(f)
        end = off if packed else (off + maxa - 1) // maxa * maxa
        return offs, end

    def field_offset(self, t: str, idx: int) -> int:
        return self._struct_layout(self.resolve(t))[0][idx]

    def field_type(self, t: str, idx: int) -> str:
        return self.fields(t)[0][idx]

    def element_type(self, t: str) -> str:
        """The element type of an array, or of a vector whose elements are whole bytes (a GEP
        into a vector of i1 or i4 has no byte address)."""
        t = self.resolve(t)
        m = re.fullmatch(r"\[(\d+) x (.*)\]", t) or _VECTOR.fullmatch(t)
        if not m or (m.group(2).startswith("i") and int(m.group(2)[1:]) % 8):
            raise ValueError(f"not an array or a byte vector: {t}")
        return m.group(2)

    def element_stride(self, t: str) -> tuple[str, int]:
        """(element type, bytes between elements) of an array (padded: allocation size) or a vector
        (packed: store size), as a GEP steps through it."""
        e = self.element_type(t)
        return e, self.size(e) if self.resolve(t).startswith("<") else self.alloc_size(e)

    def is_struct(self, t: str) -> bool:
        t = self.resolve(t)
        return t.startswith("{") or t.startswith("<{")

