"""Sizes, alignments and field offsets of IR types, x86-64 SysV data layout.

The validator needs them for allocas, GEPs and loads/stores.  Both functions of
a pair are read with the same layout, and clang-22's x86-64 layout is what
lazycc compiles for; other targets give UNSUPPORTED via ValueError upstream
only when a type is not understood here.
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


class Layout:
    def __init__(self, structs: dict[str, str]):
        self.structs = structs

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

    def size(self, t: str) -> int:
        t = self.resolve(t)
        if re.fullmatch(r"i\d+", t):
            w = int(t[1:])
            return _int_store(w)
        if t == "ptr" or t.startswith("ptr addrspace"):
            return 8
        if t in ("float",):
            return 4
        if t == "double":
            return 8
        if t == "half":
            return 2
        if t in ("x86_fp80", "fp128"):
            return 16
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
        if re.fullmatch(r"i\d+", t):
            return min(_int_store(int(t[1:])), 16) if int(t[1:]) <= 128 else 16
        if t in ("ptr", "double"):
            return 8
        if t == "float":
            return 4
        if t == "half":
            return 2
        if t in ("x86_fp80", "fp128"):
            return 16
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
        t = self.resolve(t)
        m = re.fullmatch(r"\[(\d+) x (.*)\]", t)
        if not m:
            raise ValueError(f"not an array: {t}")
        return m.group(2)

    def is_struct(self, t: str) -> bool:
        t = self.resolve(t)
        return t.startswith("{") or t.startswith("<{")


def _int_store(w: int) -> int:
    b = (w + 7) // 8
    p = 1
    while p < b:
        p *= 2
    return p
