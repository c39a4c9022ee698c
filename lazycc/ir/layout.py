"""Sizes, alignments and field offsets of IR types, from LLVM itself.

`Layout` answers with llvmlite's `TargetData` built from the module's own `target
datalayout` string (LLVM's default layout when there is none), so the numbers are
LLVM's (the same LLVM 22 as clang-22), not a hand-written copy of its rules.

What is read from the type text here is only the type's structure (which fields a
struct has, an array's element type), and which types the validator models at all:
a type outside that set (opaque structs, `ptr addrspace(N)`, vectors of pointers,
scalable vectors, target types, ...) raises `ValueError`, and a layout the validator
does not model (pointers that are not 64 bits) raises `UnsupportedLayout`, so such a
module is never judged with the wrong layout.

llvmlite has no "parse a type" call: a type is turned into a `TypeRef` by parsing a
tiny module (the data layout, the module's named struct types and one external global
of that type); results are cached per (data layout, struct table, type).
"""
from __future__ import annotations

import re
from functools import lru_cache

from lazycc.ir.attrs import split_top


class UnsupportedLayout(ValueError):
    """A data layout the validator does not model (pointers that are not 64 bits)."""


_FP_WIDTH = {"half": 16, "bfloat": 16, "float": 32, "double": 64, "fp128": 128, "x86_fp80": 80,
             "ppc_fp128": 128}
_FP_STORE = {"half": 2, "bfloat": 2, "float": 4, "double": 8, "fp128": 16, "x86_fp80": 10, "ppc_fp128": 16}
# FP widths LLVM's default layout gives an alignment to (DataLayout.cpp); others need an `f<N>:` entry.
_DEFAULT_FP = (16, 32, 64, 128)

# A fixed vector of integers or of the FP types a vector's layout is defined for here.
_VECTOR = re.compile(r"<(\d+) x (i\d+|half|bfloat|float|double)>")
_ARRAY = re.compile(r"\[(\d+) x (.*)\]")
_INT = re.compile(r"i\d+")


def check_datalayout(dl: str) -> None:
    """Raise UnsupportedLayout for layouts this model cannot represent."""
    for part in dl.split("-"):
        m = re.fullmatch(r"p(\d*):(\d+):.*", part)
        if m and (m.group(1) in ("", "0")) and m.group(2) != "64":
            raise UnsupportedLayout(f"{m.group(2)}-bit pointers")


@lru_cache(maxsize=4096)
def _llvm_layout(datalayout: str, struct_defs: str, t: str) -> tuple[int, int, tuple[int, ...]]:
    """(allocation size, ABI alignment, struct field offsets) of type text `t`, from LLVM."""
    import llvmlite.binding as llvm
    head = f'target datalayout = "{datalayout}"\n' if datalayout else ""
    try:
        mod = llvm.parse_assembly(f"{head}{struct_defs}@lazycc.layout = external global {t}\n",
                                  context=llvm.create_context())
    except RuntimeError:
        raise ValueError(f"unsupported type {t}") from None
    td = llvm.create_target_data(mod.data_layout)
    ty = mod.get_global_variable("lazycc.layout").global_value_type
    offs: tuple[int, ...] = ()
    if ty.is_struct:
        offs = tuple(td.get_element_offset(ty, i) for i in range(len(list(ty.elements))))
    return td.get_abi_size(ty), td.get_abi_alignment(ty), offs


class Layout:
    """The layout of a module's types: `structs` maps `%name` to its body text as printed
    (`{ i32, ptr }`, `opaque`), `datalayout` is the module's data layout string."""

    def __init__(self, structs: dict[str, str], datalayout: str = ""):
        self.structs = structs
        self.datalayout = datalayout
        self.big_endian = "E" in (datalayout.split("-") if datalayout else [])
        self._defs: str | None = None
        self._fp = set(_DEFAULT_FP)
        for part in datalayout.split("-") if datalayout else []:
            m = re.fullmatch(r"f(\d+):(\d+)(?::\d+)?", part)
            if m:
                self._fp.add(int(m.group(1)))

    # -- structure (from the type text) --------------------------------------------------

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

    def is_struct(self, t: str) -> bool:
        t = self.resolve(t)
        return t.startswith("{") or t.startswith("<{")

    def field_type(self, t: str, idx: int) -> str:
        return self.fields(t)[0][idx]

    def element_type(self, t: str) -> str:
        """The element type of an array, or of a vector whose elements are whole bytes (a GEP
        into a vector of i1 or i4 has no byte address)."""
        t = self.resolve(t)
        m = _ARRAY.fullmatch(t) or _VECTOR.fullmatch(t)
        if not m or (m.group(2).startswith("i") and int(m.group(2)[1:]) % 8):
            raise ValueError(f"not an array or a byte vector: {t}")
        return m.group(2)

    def _check(self, t: str, for_align: bool = False) -> str:
        """`t` resolved, after checking that the validator models it (ValueError if not)."""
        t = self.resolve(t)
        if self.vector_bits(t) is not None or _INT.fullmatch(t) or t == "ptr":
            return t
        if t in _FP_WIDTH:
            if for_align and _FP_WIDTH[t] not in self._fp:
                raise ValueError(f"unsupported type {t}")
            return t
        m = _ARRAY.fullmatch(t)
        if m:
            self._check(m.group(2), True)
            return t
        if t.startswith("{") or t.startswith("<{"):
            for f in self.fields(t)[0]:
                self._check(f, not t.startswith("<{"))
            return t
        raise ValueError(f"unsupported type {t}")

    # -- numbers (from LLVM) ----------------------------------------------------------------

    def _struct_defs(self) -> str:
        if self._defs is None:
            self._defs = "".join(f"{n} = type {b}\n" for n, b in self.structs.items())
        return self._defs

    def _llvm(self, t: str) -> tuple[int, int, tuple[int, ...]]:
        return _llvm_layout(self.datalayout, self._struct_defs() if "%" in t else "", t)

    def size(self, t: str) -> int:
        """Store size in bytes (a scalar's or vector's bits rounded up to bytes; an aggregate's
        allocation size)."""
        t = self._check(t)
        bits = self.vector_bits(t)
        if bits is not None:
            return (bits + 7) // 8                 # store size: lanes are bit-packed
        if _INT.fullmatch(t):
            return (int(t[1:]) + 7) // 8
        if t in _FP_STORE:
            return _FP_STORE[t]
        return self._llvm(t)[0]

    def alloc_size(self, t: str) -> int:
        return self._llvm(self._check(t, True))[0]

    def align(self, t: str) -> int:
        return self._llvm(self._check(t, True))[1]

    def field_offset(self, t: str, idx: int) -> int:
        return self._llvm(self._check(t, True))[2][idx]

    def element_stride(self, t: str) -> tuple[str, int]:
        """(element type, bytes between elements) of an array (padded: allocation size) or a vector
        (packed: store size), as a GEP steps through it."""
        e = self.element_type(t)
        return e, self.size(e) if self.resolve(t).startswith("<") else self.alloc_size(e)
