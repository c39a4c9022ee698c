"""Attribute semantics: the one place that reads attribute and flag text.

Parsing: `attr_tokens`, `memory(...)` effects (`memory_effects`, `argmem_effects`, read by `lazycc.ir.attrs.memory_items`),
`readonly`/`readnone`/`writeonly` (`access_forbidden`), `captures(...)`, instruction flags
and `align`.  Meaning: the poison and UB that parameter, return and call-site attributes
(`nonnull`, `range`, `align`, `dereferenceable`, `noundef`, ...) add to a value
(`attr_poison`, `param_attrs`, `apply_ret_attrs`, `call_site_arg`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lazycc.validator import lanes
from lazycc.validator import smt as S
from lazycc.ir.attrs import memory_items, tokenize_attrs
from lazycc.ir.model import Inst, Ty
from lazycc.validator.memory import PTRW, aligned, is_local_bid, ptr_bid, ptr_off, width_of
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


def no_capture(attrs: str) -> bool:
    """A parameter whose provenance the function promises not to capture (escape to memory
    the caller can see, or to an integer): `nocapture`, `captures(none)`, `captures(address...)`."""
    toks = attr_tokens(attrs)
    if "nocapture" in toks:
        return True
    caps = [t for t in toks if t.startswith("captures(")]
    return any("provenance" not in t for t in caps)


def ret_may_carry_provenance(attrs: str) -> bool:
    """May a call's result be based on this argument (carry its provenance)?  Not when the
    parameter's `captures(...)` leaves provenance out of what the return value captures
    (`captures(address_is_null)`, `captures(address, ret: address)`, `nocapture`): a callee that
    keeps its attributes cannot return a pointer based on it (LangRef, captures)."""
    toks = attr_tokens(attrs)
    if "returned" in toks:
        return True
    if "nocapture" in toks:
        return False
    caps = [t for t in toks if t.startswith("captures(")]
    if not caps:
        return True
    default: list[str] = []
    ret: list[str] | None = None
    for part in caps[0][len("captures("):-1].split(","):
        part = part.strip()
        if part.startswith("ret:"):
            ret = [part[len("ret:"):].strip()]
        elif ret is not None:
            ret.append(part)
        else:
            default.append(part)
    return any(c == "all" or "provenance" in c for c in (default if ret is None else ret))


# Parameter attributes that forbid accesses through the parameter (LangRef): (no read, no write).
ACCESS_ATTRS = {"readnone": (True, True), "readonly": (False, True), "writeonly": (True, False)}


def access_forbidden(attrs: str) -> tuple[bool, bool]:
    """(reads, writes) through a parameter that its attributes forbid."""
    r = w = False
    for t in attr_tokens(attrs):
        nr, nw = ACCESS_ATTRS.get(t, (False, False))
        r, w = r or nr, w or nw
    return r, w


def captures_nothing(attrs: str) -> bool:
    """`nocapture` / `captures(none)`: no part of the pointer may escape (Alive2's NoCapture;
    `captures(address)` still lets the address out)."""
    toks = attr_tokens(attrs)
    return "nocapture" in toks or "captures(none)" in toks


def inst_flags(ins: Inst) -> set[str]:
    rhs = ins.text.split("=", 1)[1] if "=" in ins.text.split("(")[0] else ins.text
    toks = rhs.replace(",", " ").split()
    return set(toks[1:6])


def inst_align(ins: Inst, default: int) -> int:
    m = re.search(r"align (\d+)", ins.text)
    return int(m.group(1)) if m else default


# -- calls


def _memory_tokens(attrs: str) -> list[tuple[str | None, dict[str, str]]]:
    """(default kind, {location: kind}) of every `memory(...)` in an attribute list
    (a declaration's and its call site's may both be present)."""
    return [memory_items(t) for t in tokenize_attrs(attrs) if t.startswith("memory(")]


def argmem_effects(attrs: str) -> tuple[bool, bool]:
    """(reads, writes) of memory based on pointer arguments that a function's attributes allow
    (`memory(...)` with an `argmem:` part or a default part, readnone/readonly/writeonly)."""
    toks = attrs.split()
    if "readnone" in toks:
        return False, False
    reads, writes = "writeonly" not in toks, "readonly" not in toks
    for default, explicit in _memory_tokens(attrs):
        eff = explicit.get("argmem", default)
        if eff is None:
            eff = "none"     # only other locations are listed
        reads = reads and eff in ("read", "readwrite")
        writes = writes and eff in ("write", "readwrite")
    return reads, writes


def memory_effects(attrs: str) -> tuple[bool, bool]:
    """(reads, writes) of a callee from its `memory(...)`/readnone/readonly attributes."""
    toks = attrs.split()
    if "readnone" in toks:
        return False, False
    reads, writes = True, "readonly" not in toks
    # every memory(...) present holds (a declaration's and its call site's): intersect them
    for default, explicit in _memory_tokens(attrs):
        kinds = ([] if default is None else [default]) + list(explicit.values())
        r = any(eff in ("read", "readwrite") for eff in kinds)
        w = any(eff in ("write", "readwrite") for eff in kinds)
        reads, writes = reads and r, writes and w
    return reads, writes


def call_site_arg(ex: Exec, st: NodeState, o, v, n, text: str):
    """An argument as the callee sees it: attributes written at the call site make it poison
    when violated (`nonnull`, `range`, `align`; `dereferenceable` is UB), `noundef` makes
    passing poison UB."""
    if lanes.is_multi(o.ty):
        return _lane_attrs(ex, st, v, n, o.ty, text[len(o.ty.text):].rsplit(" ", 1)[0], "call argument")
    toks = attr_tokens(text)
    attrs = " ".join(toks[1:-1])  # between the type and the value
    if attrs:
        nps, ubs = attr_poison(ex, v, o.ty, attrs, "call argument", st)
        if nps:
            n = S.And(n, *nps)
        if ubs:
            ex.add_ub(st, S.Or(*ubs))
    if "noundef" in toks[1:-1] or "dereferenceable" in attrs:  # dereferenceable implies noundef
        ex.add_ub(st, S.Not(n))
    return v, n


_ATTR_TOKEN = re.compile(r"[\w.]+\((?:[^()]|\([^()]*\))*\)|align \d+|\S+")   # initializes((0, 8)) nests
# Linkage, visibility, calling conventions etc. in front of a return type: no value semantics.
NOT_ATTRS = {"define", "declare", "private", "internal", "available_externally", "linkonce", "weak", "common",
              "appending", "extern_weak", "linkonce_odr", "weak_odr", "external", "dso_local",
              "dso_preemptable", "default", "hidden", "protected", "dllimport", "dllexport", "ccc", "fastcc",
              "coldcc", "tail", "notail", "musttail", "unnamed_addr", "local_unnamed_addr"}


def attr_names(attrs: str) -> set[str]:
    """The attribute words of a call site or declaration, with a parenthesised attribute's
    name split from its arguments (`memory(read)` gives `memory` and `read)`)."""
    return set(attrs.replace("(", " ").split())


def attr_tokens(text: str) -> list[str]:
    return _ATTR_TOKEN.findall(text)


_RANGE = re.compile(r"range\(i(\d+) (-?\d+), (-?\d+)\)")
# Return/parameter attributes we model (their violation is poison, `noundef` turns poison into UB);
# `dereferenceable*` is UB when violated.  Anything else that can add poison or UB is refused
# on the tgt side (where ignoring it could accept a wrong rewrite) and ignored on the src side
# (ignoring it makes src more defined: more rejections, never fewer).
_HARMLESS_ATTRS = {"zeroext", "signext", "inreg", "noalias", "nocapture", "readonly", "readnone",
                   "writeonly", "returned", "nofree", "noundef", "nonnull", "noext", "dead_on_unwind",
                   "writable", "immarg", "captures", "byval", "sret", "elementtype", "nest",
                   "allocalign", "allocptr", "preallocated", "inalloca"}
# Not here: `initializes((a, b))` is a promise (the callee writes the range before reading it;
# UB otherwise) that is not modelled, so a target carrying it is unsupported. The tokenizer
# once split it at its inner comma, which made it unsupported by accident.


def range_holds(attrs: str, v: Any, w: int) -> Any:
    m = _RANGE.search(attrs)
    if not m:
        return None
    lo, hi = int(m.group(2)) % (1 << w), int(m.group(3)) % (1 << w)
    lo_v, hi_v = S.BitVecVal(lo, w), S.BitVecVal(hi, w)
    if lo == hi:  # full range
        return S.BoolVal(True)
    if lo < hi:
        return S.And(S.UGE(v, lo_v), S.ULT(v, hi_v))
    return S.Or(S.UGE(v, lo_v), S.ULT(v, hi_v))


def attr_poison(ex: Exec, v: Any, ty: Ty, attrs: str, what: str,
                st: NodeState | None = None) -> tuple[list[Any], list[Any]]:
    """(non-poison conditions, UB conditions) that attributes `attrs` put on value `v`."""
    np_, ub = [], []
    toks = attrs.replace("(", " ( ").split()
    r = range_holds(attrs, v, width_of(ty)) if ty.kind == "int" else None
    if r is not None:
        np_.append(r)
    if "nonnull" in toks and ty.kind == "ptr":
        np_.append(ex.addr_of(v) != 0)
    for m in re.finditer(r"\balign (\d+)", attrs):
        if ty.kind != "ptr":
            continue
        np_.append(aligned(ex.addr_of(v), int(m.group(1))))
    for m in re.finditer(r"\b(dereferenceable|dereferenceable_or_null)\((\d+)\)", attrs):
        if ty.kind != "ptr":
            continue
        # Non-local blocks are live throughout: dereferenceable = not null and n bytes in bounds.
        # A local block's liveness changes during the call: an opaque (shared) predicate there.
        b, n = ptr_bid(v), int(m.group(2))
        inb = S.And(b != 0, S.ULE(S.ZeroExt(8, ptr_off(v)) + n, ex.block_size(b)))
        if st is not None:   # and still allocated (a call may have freed it)
            inb = S.And(inb, ex.nonlocal_alive(st, b, force=True))
        opaque = ex.sh.uf(f"attr.{m.group(1)}{n}", S.BitVecSort(PTRW), S.BoolSort())(v)
        if ex.heap_sizes and st is not None:
            # a heap block of this call: exactly (size and liveness are known here)
            heap = S.Or(*[b == hb for hb in ex.heap_sizes])
            opaque = S.If(heap, S.And(S.ULE(S.ZeroExt(8, ptr_off(v)) + n, ex.block_size(b)), ex.alive(st, b)),
                          opaque)
        ok = S.If(is_local_bid(b), opaque, inb)
        if m.group(1) == "dereferenceable_or_null":
            ok = S.Or(ex.addr_of(v) == 0, ok)
        ub.append(S.Not(ok))
    known = _HARMLESS_ATTRS | NOT_ATTRS | {"range", "align", "dereferenceable", "dereferenceable_or_null"}
    if what == "call argument":
        # the callee's promise to write the range before reading it: the opaque call model
        # does not rely on it (its reads, writes and UB are unknowns of its inputs, so a caller
        # whose correctness needs the promise, e.g. a store before the call dropped, is refuted)
        known = known | {"initializes"}
    for t in attr_tokens(attrs):
        t = (t.split("(")[0].split() or ["("])[0]
        if t not in known and not t.startswith("#") and not t.startswith("x86_") and ex.side == "tgt":
            raise Unsupported(f"{what} attribute {t}")
    return np_, ub


def param_attrs(ex: Exec, p: Any, v: Any, np_: Any, pre: list[Any]) -> Any:
    """Attributes of a parameter: poison when violated; `noundef` (and `dereferenceable`) are the
    caller's obligation, i.e. preconditions.  Preconditions constrain the shared argument symbols,
    so src's attributes restrict the inputs of both sides (a tgt may drop attributes)."""
    attrs = p.attrs.strip()
    if attrs.startswith(p.ty.text):
        attrs = attrs[len(p.ty.text):]
    toks = attr_tokens(attrs)
    if toks and toks[-1].startswith("%"):
        toks = toks[:-1]
    attrs = " ".join(toks)
    if not attrs:
        return np_
    if lanes.is_multi(p.ty):
        eff, noundef = _lane_attr_poison(v, np_, p.ty, attrs, "parameter")
        if not noundef:
            return eff
        pre.append(lanes.defined(eff, p.ty))
        return lanes.all_defined(p.ty)
    nps, ubs = attr_poison(ex, v, p.ty, attrs, "parameter")
    eff = S.And(np_, *nps) if nps else np_
    if "noundef" in attrs.split() or "dereferenceable" in attrs:  # LangRef: dereferenceable implies noundef
        pre.append(eff)
        pre.extend(S.Not(u) for u in ubs)
        return S.BoolVal(True)
    pre.extend(S.Implies(eff, S.Not(u)) for u in ubs)
    return eff


def _lane_range(v: Any, np_: Any, ty: Ty, attrs: str) -> Any:
    """The non-poison part of a vector of integers under `range(...)`: each lane outside is poison."""
    return lanes.join([(lv, S.And(ln, range_holds(attrs, lv, ty.elem.width)))
                       for lv, ln in lanes.split(v, np_, ty)])[1]


def _lane_attr_poison(v: Any, np_: Any, ty: Ty, attrs: str, what: str) -> tuple[Any, bool]:
    """(non-poison part, `noundef` present) of a vector or aggregate value under `attrs`: only
    `noundef` and, on vectors of integers, `range` (poison lanes outside it) are modelled."""
    toks = {t.split("(")[0] for t in attr_tokens(attrs)} - NOT_ATTRS
    ranged = ty.kind == "vec" and ty.elem.kind == "int" and "range" in toks
    if toks - {"noundef"} - ({"range"} if ranged else set()):
        raise Unsupported(f"{what} attributes {attrs.strip()} of a vector or aggregate")
    return (_lane_range(v, np_, ty, attrs) if ranged else np_), "noundef" in toks


def _lane_attrs(ex: Exec, st: NodeState, v: Any, np_: Any, ty: Ty, attrs: str, what: str):
    """Attributes on a vector or aggregate value at a call or return: `noundef` makes a poison
    lane UB."""
    np_, noundef = _lane_attr_poison(v, np_, ty, attrs, what)
    if noundef:
        ex.add_ub(st, S.Not(lanes.defined(np_, ty)))
        np_ = lanes.all_defined(ty)
    return v, np_


def apply_ret_attrs(ex: Exec, st: NodeState, v: Any, np_: Any, attrs: str, ty: Ty, call: bool):
    """Attributes of a returned value (function return, or a call site's result)."""
    if not attrs.strip():
        return v, np_
    if lanes.is_multi(ty):
        return _lane_attrs(ex, st, v, np_, ty, attrs, "return")
    nps, ubs = attr_poison(ex, v, ty, attrs, "return", st)
    if nps:
        np_ = S.And(np_, *nps)
    if "noundef" in attrs.split() or re.search(r"\bdereferenceable\(", attrs):  # deref implies noundef
        ex.add_ub(st, S.Not(np_))
        np_ = S.BoolVal(True)
    if ubs:
        ex.add_ub(st, S.And(np_, S.Or(*ubs)))
    return v, np_


# -- attribute comparison (refine.py: what a target may add to a function or parameter)


def attr_words(s: str) -> set[str]:
    """The words of an attribute list, `memory(...)` left out (function attribute comparison)."""
    return set(re.sub(r"memory\([^)]*\)", " ", s).split())


def string_attr(attrs: str, name: str) -> str | None:
    """The value of string attribute `"name"` ("" without a value; None if absent)."""
    m = re.search(r'"' + re.escape(name) + r'"(?:="([^"]*)")?', attrs)
    return None if m is None else (m.group(1) or "")


PARAM_ATTR = re.compile(r'[\w.]+\([^()]*(?:\([^()]*\)[^()]*)*\)|align \d+|"[^"]*"(?:="[^"]*")?|\S+')


def param_attr_set(text: str) -> dict[str, str]:
    """Attribute name -> its full token, for a parameter's text (type, attributes, name)."""
    toks = PARAM_ATTR.findall(text)
    if toks:
        toks = toks[1:]  # the type
    if toks and toks[-1].startswith("%"):
        toks = toks[:-1]
    out = {}
    for t in toks:
        name = t.split("(")[0].split()[0] if not t.startswith('"') else t
        out[name] = t
    return out


def attr_number(tok: str) -> int:
    """The number at the end of an attribute token (`dereferenceable(8)` -> 8; -1 if none)."""
    m = re.search(r"(\d+)\)?$", tok)
    return int(m.group(1)) if m else -1
