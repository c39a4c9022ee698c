"""`call`: direct calls dispatch to intrinsics (registry.INTRINSICS), libc models, the heap
model or an opaque call; indirect calls are refused unless the path is dead or the callee's
arguments are non-local.  Call-site attributes and `allocsize` promises are applied here."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lazycc.validator import smt as S
from lazycc.validator.attributes import apply_ret_attrs, attr_names, call_site_arg, memory_effects, no_capture
from lazycc.validator.analysis import ANY_STORED
from lazycc.validator.callsite import (ALLOCSIZE, arg_type, call_arg_texts, call_parts, call_ret_attrs, heap_fn,
                                       indirect_parts, libc_attrs, returned_arg_ok)
from lazycc.validator.handlers.heap import heap_call, to64
from lazycc.validator.handlers.libc import LIBC_MODELS
from lazycc.validator.handlers.opaque import CallEffects, LocalArgs, apply_call, call_effects, opaque_call
from lazycc.validator.handlers.pointer import md_range
from lazycc.validator.handlers.registry import INTRINSICS, handler
from lazycc.ir.model import Inst, expand_attrs
from lazycc.validator.memory import OFFW, PTRW, known_value, mk_ptr, ptr_bid, ptr_off, width_of
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


@handler("call")
def h_call(ex: Exec, st: NodeState, ins: Inst):
    callee = ins.ops[-1]
    if callee.kind != "global":
        return _indirect_call(ex, st, ins)
    name = callee.name
    if "musttail" in ins.text or "inline asm" in ins.text:
        raise Unsupported(ins.text)
    if name != "llvm.assume" and "[" in call_parts(ins)[1]:
        raise Unsupported(f"{ins.text} (operand bundles)")   # their operands are not arguments
    if name.startswith("llvm."):
        for prefix, h in INTRINSICS.items():
            if name.startswith(prefix) and (name == prefix or name[len(prefix)] == "." or prefix.endswith(".")):
                ret_attrs = call_ret_attrs(ins, name)
                r = h(ex, st, ins, name)
                if r is not None and "!range " in ins.text:
                    r = (r[0], S.And(r[1], md_range(ex, ins, r[0])))
                _call_arg_attrs(ex, st, ins, name)
                if r is not None:
                    r = apply_ret_attrs(ex, st, r[0], r[1], ret_attrs, ins.ty, call=True)
                return r
        raise Unsupported(f"{ins.text}")
    decl = ex.sh.decl_override.get(name) or ex.mod.decls.get(name)
    if decl is None:
        raise Unsupported(ins.text)
    if ex.side == "tgt" and ins.key in ex.sh.unproven_promises:
        # promises no source call makes (refine._call_sites_stronger): an unknown callee may
        # break them, and then this call is UB
        ex.add_ub(st, S.Bool(f"promise.broken.{ins.index}"))
    _, site = call_parts(ins)
    site = expand_attrs(site, ex.mod.attr_groups)
    attrs = decl.attrs + " " + site + " " + libc_attrs(decl, ins, site)
    reads, writes = memory_effects(attrs)
    toks = attr_names(attrs)
    model = LIBC_MODELS.get(name) if libc_attrs(decl, ins, site) else None
    if model is not None:
        return model(ex, st, ins)
    hf = heap_fn(decl, ins, site) if ex.sh.heap_model else None
    if hf is not None:
        return heap_call(ex, st, ins, hf, attrs, (call_ret_attrs(ins, name) + " " + decl.ret_attrs).strip())
    local_ix = [i for i, o in enumerate(ins.ops[:-1]) if o.kind == "ref" and o.key in ex.maybe_local]
    if local_ix:
        why = _local_args_refused(ex, ins, decl, local_ix)
        if why:
            raise Unsupported(f"{ins.text} (passes a local address to a call{why})")
    args = [ex.operand(st, o) for o in ins.ops[:-1]]
    # poison passed to a noundef parameter is UB
    argtexts = call_arg_texts(ins, name)
    # the declaration's parameter attributes hold at every call, like the call site's
    argtexts = [(arg_type(t) + " " + decl.param_attrs[i] + " " + t[len(arg_type(t)):].strip())
                if i < len(decl.param_attrs) and decl.param_attrs[i] and " " in t else t
                for i, t in enumerate(argtexts)]
    args = [call_site_arg(ex, st, o, v, n, t) for o, (v, n), t in zip(ins.ops[:-1], args, argtexts)] \
        + args[len(argtexts):]
    willreturn = "willreturn" in toks and "nounwind" in toks
    rty = ins.ty if ins.ty.kind != "void" else None
    ret_attrs = (call_ret_attrs(ins, name) + " " + decl.ret_attrs).strip()
    local = None
    if local_ix:
        ptrs = tuple(args[i][0] for i in local_ix)
        local = LocalArgs(st.L, ptrs, tuple(ex.alive(st, ptr_bid(p)) for p in ptrs),
                          tuple(ex.block_size(ptr_bid(p)) for p in ptrs))
    r = opaque_call(ex, st, name, _callee_view(ex, ins.ops[:-1], args), rty, reads, writes, willreturn,
                     nounwind="nounwind" in toks, local=local)
    ret_i = next((i for i, t in enumerate(argtexts) if "returned" in t.split()[1:-1]), None)
    if r is not None and ret_i is not None and returned_arg_ok(ins, ret_i):
        # `returned`: the result is that argument (LangRef: poison if the callee returns another)
        av, an = args[ret_i]
        r = (av, S.And(r[1], an, r[0] == av))
    if "noreturn" in toks:
        # a noreturn callee that returns is UB (the executions where it does not were ended)
        ex.add_ub(st, S.BoolVal(True))
        st.pc = S.BoolVal(False)
    if r is not None and "!range " in ins.text:
        r = (r[0], S.And(r[1], md_range(ex, ins, r[0])))
    if r is not None:
        _allocsize_promise(ex, st, decl, args, r[0])
        r = apply_ret_attrs(ex, st, r[0], r[1], ret_attrs, ins.ty, call=True)
    return r


def _local_args_refused(ex: Exec, ins: Inst, decl, local_ix: list[int]) -> str:
    """Why a direct call passed local addresses is not modelled ("" if it is: LocalArgs).
    The callee may then access the blocks passed and nothing else of this call's memory, and
    only during the call: each such argument is `captures(none)` (or captures the address
    only), the blocks passed hold no local address (analysis.local_origins: so no other local
    block is reachable from them), there is no heap block of this call (their escapes are
    modelled apart), and the call is not `tail` (a tail call accessing the caller's allocas is
    UB, not modelled)."""
    if ex.local_holders is None:
        return ": a local address is stored where it cannot be followed"
    if ex.heap_sites:
        return ": with heap blocks"
    if re.match(r"\s*(?:%[-\w.$\"]+\s*=\s*)?(?:tail|musttail)\s", ins.text):
        return ": tail call"
    texts = call_arg_texts(ins, decl.name)
    for i in local_ix:
        if i >= len(texts) or i >= len(decl.param_attrs) or ins.ops[i].ty.kind != "ptr":
            return ": not a declared pointer parameter"
        reach = ex.local_org.get(ins.ops[i].key, frozenset())
        if ANY_STORED in reach:
            reach = (reach - {ANY_STORED}) | ex.local_stored
        if not reach:
            return ": the block is not known"
        if reach & ex.local_holders:
            return ": the block passed may hold a local address"
        site = " ".join(texts[i].split()[1:-1])
        pattrs = expand_attrs(decl.param_attrs[i] + " " + site, ex.mod.attr_groups)
        if not no_capture(pattrs) or "returned" in attr_names(pattrs):
            return " that may capture it"   # (`returned` gives it back: a local result)
    return ""


def _allocsize_promise(ex: Exec, st: NodeState, decl, args, v) -> None:
    """`allocsize(i[, j])` on a declaration that is no allocation function: the result is null
    or points to at least args[i] (* args[j]) bytes of a live block (LangRef), a fact about
    the callee for those arguments."""
    m = ALLOCSIZE.search(decl.attrs)
    if m is None or decl.ret_ty.kind != "ptr":
        return
    idx = [int(x) for x in m.groups() if x is not None]
    if any(i >= len(args) for i in idx):
        return
    size, ok = None, [args[i][1] for i in idx]
    for i in idx:
        x, fits = to64(args[i][0])
        ok.append(fits)
        if size is not None:
            ok.append(S.BVMulNoOverflow(size, x, False))
        size = x if size is None else size * x
    b = ptr_bid(v)
    inb = S.And(b != 0, S.ULE(S.ZeroExt(8, ptr_off(v)) + size, ex.block_size(b)),
                ex.nonlocal_alive(st, b, force=True))
    ex.addr_facts.append(S.Implies(S.And(*ok), S.Or(v == 0, inb)))


def _indirect_call(ex: Exec, st: NodeState, ins: Inst):
    """A call through a function pointer: an opaque call whose identity is the callee VALUE.

    Same model as a call to a declared function (Alive2's), with the callee pointer (value
    and poison bit) as an extra input of every uninterpreted function: equal callee pointers
    and equal inputs give equal outputs in src and tgt.  A poison callee is UB.  Memory
    effects come from the call-site attributes only (default: reads and writes all
    non-local memory, may not return).  Local addresses must not reach the call (refused,
    as for direct calls), so it sees non-local memory only.
    The harness guards each thunk force with `fp == @force` (harness.py); its fallback
    indirect call passes the thunk (a local address) and is accepted only where the
    solver proves it dead."""
    callee = ins.ops[-1]
    local = (callee.kind == "ref" and callee.key in ex.maybe_local) or any(
        o.kind == "ref" and o.key in ex.maybe_local for o in ins.ops[:-1])
    if local:
        if ex.path_feasible(st):
            raise Unsupported(f"{ins.text} (indirect call)")
        ex.dead_indirect += 1
        st.pc = S.BoolVal(False)
        return None if ins.ty.kind == "void" else (S.BitVecVal(0, width_of(ins.ty)), S.BoolVal(False))
    if ins.ty.kind == "other" or any(o.ty.kind == "other" for o in ins.ops[:-1]):
        raise Unsupported(f"{ins.text} (indirect call with aggregate types)")
    if "musttail" in ins.text or "inline asm" in ins.text:
        raise Unsupported(ins.text)
    ret_attrs, argtexts, site = indirect_parts(ins)
    if "[" in site:
        raise Unsupported(f"{ins.text} (operand bundles)")
    if len(argtexts) != len(ins.ops) - 1:
        raise Unsupported(f"{ins.text} (indirect call: arguments)")
    attrs = expand_attrs(site, ex.mod.attr_groups)
    reads, writes = memory_effects(attrs)
    toks = attr_names(attrs)
    fp, fpn = ex.operand(st, callee)
    ex.add_ub(st, S.Not(fpn))            # calling poison is UB
    args = [(fp, S.BoolVal(True))]
    for o, t in zip(ins.ops[:-1], argtexts):
        v, n = ex.operand(st, o)
        args.append(call_site_arg(ex, st, o, v, n, t))
    args = args[:1] + _callee_view(ex, ins.ops[:-1], args[1:])
    willreturn = "willreturn" in toks and "nounwind" in toks
    rty = ins.ty if ins.ty.kind != "void" else None
    sig = "(" + ",".join(str(o.ty) for o in ins.ops[:-1]) + ")->" + str(ins.ty)
    e = call_effects(ex, st.NL, f"indirect{sig}", args, rty, reads, writes, willreturn, "nounwind" in toks)
    # The callee may be a function named here: then it is that function's call (the same
    # symbols as a direct call to it), so `if (fp == @f) f(); else fp();` refines `fp()`.
    for name, bid in sorted(ex.sh.gbid.items(), key=lambda kv: -kv[1]):
        d = ex.sh.decl_override.get(name) or ex.mod.decls.get(name)
        if d is None or d.is_intrinsic or str(d.ret_ty) != str(ins.ty) or len(d.param_attrs) != len(args) - 1 \
                or name in LIBC_MODELS:
            continue
        dattrs = d.attrs + " " + attrs
        dr, dw = memory_effects(dattrs)
        dtoks = attr_names(dattrs)
        g = call_effects(ex, st.NL, name, args[1:], rty, dr, dw,
                          "willreturn" in dtoks and "nounwind" in dtoks, "nounwind" in dtoks)
        # a call goes to the address: any pointer with @g's address calls @g
        is_g = ex.addr_of(fp) == ex.addr_of(mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(0, OFFW)))
        none = S.BoolVal(False)
        e = CallEffects(
            S.If(is_g, g.ub, e.ub),
            None if g.noret is None and e.noret is None else
            S.If(is_g, g.noret if g.noret is not None else none, e.noret if e.noret is not None else none),
            g.observable or e.observable,
            None if g.mem is None and e.mem is None else
            S.If(is_g, g.mem if g.mem is not None else st.NL, e.mem if e.mem is not None else st.NL),
            None if rty is None else (S.If(is_g, g.ret[0], e.ret[0]), S.If(is_g, g.ret[1], e.ret[1])))
    r = apply_call(ex, st, e)
    if r is not None and "!range " in ins.text:
        r = (r[0], S.And(r[1], md_range(ex, ins, r[0])))
    if r is not None:
        r = apply_ret_attrs(ex, st, r[0], r[1], ret_attrs, ins.ty, call=True)
    return r


def _callee_view(ex: Exec, ops, args):
    """The arguments as an opaque callee's inputs: a pointer whose address is 0 is null
    (Alive2 refines call inputs so: a null source argument is refined by any pointer at
    address 0, and LLVM replaces a pointer by null once they compare equal).  Only where
    addresses are observed: otherwise no pointer there is known to be at address 0."""
    out = list(args)
    if not ex.sh.observes_addresses:
        return out
    for i, (o, (v, n)) in enumerate(zip(ops, args)):
        if o.ty.kind == "ptr" and known_value(v) is None:
            out[i] = (S.If(ex.addr_of(v) == 0, S.BitVecVal(0, PTRW), v), n)
    return out


def _call_arg_attrs(ex: Exec, st: NodeState, ins: Inst, name: str) -> None:
    """`noundef` on an intrinsic's argument: passing poison is UB."""
    for o, t in zip(ins.ops[:-1], call_arg_texts(ins, name)):
        if "noundef" in t.split()[:-1]:
            ex.add_ub(st, S.Not(ex.operand(st, o)[1]))
