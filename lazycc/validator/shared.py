"""Symbols shared by the source and target encodings of one pair (`Shared`).

Arguments, the initial non-local memory, sizes and ids of global blocks and the
uninterpreted functions of calls are the *inputs*: the same symbol on both sides makes
the refinement query compare like with like.  Also the two-module consistency check of
globals and declarations (`check_same_globals`).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lazycc.validator import smt as S
from lazycc.validator.attributes import attr_tokens
from lazycc.ir.model import Function, Module
from lazycc.validator.memory import BYTE, OFFW, PTRW, mk_ptr
from lazycc.validator.state import Unsupported


# ---------------------------------------------------------------- shared context

_GLOBAL_NAME = re.compile(r'@([-\w.$]+|"[^"]*")')


def _named_globals(fns) -> set[str]:
    """Names (without @, unquoted) of globals and functions that the functions' instructions name."""
    out: set[str] = set()
    for fn in fns:
        for b in fn.blocks:
            for ins in b.insts:
                out.update(m.strip('"') for m in _GLOBAL_NAME.findall(ins.text))
    return out


def _common_decl(d, e):
    """The facts two declarations of one callee agree on (attributes both state)."""
    if d.ret_ty != e.ret_ty or len(d.param_attrs) != len(e.param_attrs):
        raise Unsupported(f"declaration of @{d.name} differs between source and target")

    def both(a: str, b: str) -> str:
        tb = attr_tokens(b)
        return " ".join(t for t in attr_tokens(a) if t in tb)
    return replace(d, attrs=both(d.attrs, e.attrs), defined=d.defined or e.defined,
                   param_attrs=tuple(both(a, b) for a, b in zip(d.param_attrs, e.param_attrs)),
                   ret_attrs=both(d.ret_attrs, e.ret_attrs))


_TYPE_NAME = re.compile(r'%(?:[-\w.$]+|"[^"]*")')


def structural(text: str, structs: dict[str, str], depth: int = 0) -> str:
    """`text` with every named type replaced by its body (recursively): two modules parsed
    into one LLVM context get distinct names for one struct (`%struct.s` and `%struct.s.0`),
    and two modules may give one name different bodies; only the bodies say what a global
    or a signature is. An unknown name (opaque) stays as it is."""
    if depth > 16:
        raise Unsupported("named types nested too deeply to compare")

    def body(m: re.Match) -> str:
        name = m.group(0)
        if name not in structs:
            return name
        return "<" + structural(structs[name], structs, depth + 1) + ">"
    return _TYPE_NAME.sub(body, text)


def check_same_globals(src_mod: Module, tgt_mod: Module, used: set[str] | None,
                        merge_decls: bool = False) -> dict:
    """Two-module mode: a global both modules define is one object with one meaning, so its
    type, constness, linkage and (for a constant) initializer must agree; we do not compare
    module-level changes (a constant whose initializer changed, a global made constant).
    Declarations must agree too (a target may not promise more about a callee), unless
    `merge_decls`: the lazification harness, whose own opt pipeline may infer attributes on
    one side only (facts LLVM derives, true of the callee); then both sides use the facts both
    state.  Returns those merged declarations by name."""
    merged = {}
    for name, a in src_mod.globals.items():
        b = tgt_mod.globals.get(name)
        if b is None or (used is not None and name not in used):
            continue
        if a.definition != b.definition and \
                structural(a.definition, src_mod.struct_types) != structural(b.definition, tgt_mod.struct_types):
            raise Unsupported(f"global @{name} differs between source and target")
    for name, d in src_mod.decls.items():
        e = tgt_mod.decls.get(name)
        if e is None or d.is_intrinsic or (used is not None and name not in used):
            continue
        if (sorted(d.attrs.split()), d.param_attrs, d.ret_attrs, d.ret_ty) != \
                (sorted(e.attrs.split()), e.param_attrs, e.ret_attrs, e.ret_ty):
            # a callee's attributes are promises both sides rely on: tgt may not change them
            if not merge_decls:
                raise Unsupported(f"declaration of @{name} differs between source and target")
            merged[name] = _common_decl(d, e)
    for name in set(src_mod.globals) ^ set(tgt_mod.globals):
        if (used is None or name in used) and (name in src_mod.decls or name in tgt_mod.decls):
            raise Unsupported(f"@{name} is a global on one side and a function on the other")
    return merged


class Shared:
    """Symbols shared by the src and tgt encodings of one pair.

    Arguments (by position), the initial non-local memory, block sizes of
    non-local blocks, global block ids and uninterpreted functions for calls
    are the *inputs*: the same symbol on both sides is what makes the
    refinement query compare like with like.
    """

    def __init__(self, src_mod: Module, tgt_mod: Module, fns: tuple[Function, ...] | None = None,
                 merge_decls: bool = False):
        self.mem0 = S.Array("mem0", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
        # A non-local block's size is below 2^56, the span of an offset: a larger block would let
        # offsets wrap inside it (executions no real program has, which gave false alarms).
        size56 = S.Function("blksize", S.BitVecSort(8), S.BitVecSort(OFFW))
        self.blksize = lambda b: S.ZeroExt(64 - OFFW, size56(b))
        self.gbid: dict[str, int] = {}
        self.gsize: dict[str, int] = {}
        self.gconst: dict[str, bool] = {}
        self.galign: dict[str, int] = {}
        # Block ids only for the globals and functions the compared functions name: the others
        # are non-local memory like any other (reachable only through pointers), and a real
        # module names far more than the 127 non-local ids.
        used = _named_globals(fns) if fns else None
        # Does either function look at pointer addresses (integer casts, pointer comparisons)?
        # Only then is a pointer at address 0 null when it leaves the function (as in Alive2,
        # where null is address 0 only when addresses are observed).
        self.observes_addresses = fns is None or any(
            i.opcode in ("ptrtoint", "inttoptr") or (i.opcode == "icmp" and i.ops and i.ops[0].ty.kind == "ptr")
            for f in fns for b in f.blocks for i in b.insts)
        if used is not None:
            # the globals that named constants point to get ids too (their bytes are known)
            work = list(used)
            while work:
                name = work.pop()
                for mod in (src_mod, tgt_mod):
                    g = mod.globals.get(name)
                    for cell in (g.init or ()) if g is not None else ():
                        if not isinstance(cell, int) and cell is not None and cell.name not in used \
                                and len(used) < 96:    # ids are few (127): the rest stay unknown bytes
                            used.add(cell.name)
                            work.append(cell.name)
        self.decl_override = check_same_globals(src_mod, tgt_mod, used, merge_decls) \
            if src_mod is not tgt_mod else {}
        for mod in (src_mod, tgt_mod):
            for g in mod.globals.values():
                if used is None or g.name in used:
                    self._add_global(g.name, g.size, g.constant)
                    self.galign[g.name] = min(self.galign.get(g.name, g.align or 1), g.align or 1)
            for d in mod.decls.values():
                if not d.is_intrinsic and (used is None or d.name in used):
                    self._add_global(d.name, 0, True)
        self.gname = {bid: name for name, bid in self.gbid.items()}
        # Facts about the initial memory: bytes of constant globals with plain initializers that
        # src and tgt agree on (they are never written: a write is UB).  A constant that only
        # one module has (and the other does not mention: a pass created or deleted it) is
        # that module's own object, with its initializer.
        self.init_facts: list[Any] = []
        for name, bid in self.gbid.items():
            a, b = src_mod.globals.get(name), tgt_mod.globals.get(name)
            if a is None and name not in src_mod.decls:
                a = b
            if b is None and name not in tgt_mod.decls:
                b = a
            if a is None or b is None or not (a.constant and b.constant) or a.init is None or a.init != b.init:
                continue
            for off, cell in enumerate(a.init):
                if cell is None:
                    continue
                if isinstance(cell, int):
                    byte = cell
                else:  # a byte of a pointer to a global: known only if that global has an id here
                    target = self.gbid.get(cell.name)
                    if target is None:
                        continue
                    byte = (((target << OFFW) | cell.offset) >> (8 * cell.index)) & 0xFF
                self.init_facts.append(S.Select(self.mem0, mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(off, OFFW)))
                                       == S.BitVecVal(0x100 | byte, BYTE))
        self.const_bids = [bid for name, bid in self.gbid.items() if self.gconst.get(name)]
        self.bs_cache: dict[tuple, tuple[Any, Any]] = {}
        self.ufs: dict[str, Any] = {}
        # Precise floating point (refine.check_pair's re-check of a counterexample):
        # IEEE operations with NaN excluded by `fp_nan`; `fp_approx` names what stayed opaque.
        self.fp_precise = False
        self.fp_nan: list[Any] = []
        self.fp_approx: set[str] = set()
        # Allocation functions make heap blocks (False: opaque calls on both sides; heap_model_applies)
        self.heap_model = True
        # allocation outcomes and undef values: the source's own choices (else the target's)
        self.own_choices = False
        # Re-check of a counterexample: `noalias` parameters of src point to objects of their own.
        self.assume_noalias = False
        self.args: dict[int, tuple[Any, Any]] = {}
        self.fresh_n = 0
        # Nondeterministic choices (undef uses, freeze of poison) by side, name -> symbol: a
        # src-only choice is the source's to make (refine.py resolves it angelically).
        self.choices: dict[str, dict[str, Any]] = {"src": {}, "tgt": {}}
        # tgt call sites (instruction keys) promising what no src call does (refine sets it)
        self.unproven_promises: dict[int, str] = {}
        # Name prefix of the rewriter's thunk allocas (refine.PairSetup.thunk_prefix; None: none)
        self.thunk_prefix: str | None = None
        # The symbols of undef constants by side (a value built from them is undef-dependent).
        self.undefs: dict[str, list[Any]] = {"src": [], "tgt": []}

    def choice(self, side: str, sym: Any) -> Any:
        self.choices[side][str(sym)] = sym
        return sym

    def _add_global(self, name: str, size: int | None, const: bool) -> None:
        """`size` None: unknown (the shared symbol `blksize(bid)`)."""
        if name in self.gbid:
            # same definition in both modules (check_same_globals), or a function and a global
            # of one name, which LLVM does not allow
            return
        bid = len(self.gbid) + 1
        if bid >= 128:
            raise Unsupported("more than 127 globals and functions")
        self.gbid[name] = bid
        self.gsize[name] = size
        self.gconst[name] = const

    def uf(self, name: str, *sorts) -> Any:
        key = name + "|" + "|".join(str(s) for s in sorts)
        f = self.ufs.get(key)
        if f is None:
            f = S.Function(key, *sorts)
            self.ufs[key] = f
        return f

    def fresh(self, prefix: str, width: int) -> Any:
        self.fresh_n += 1
        return S.BitVec(f"{prefix}!{self.fresh_n}", width)
