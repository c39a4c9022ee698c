"""Pointer instructions: ptrtoint/inttoptr/bitcast/addrspacecast, getelementptr (inbounds,
nuw, nusw poison), alloca, load, store (with !range and friends)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lazycc.validator import smt as S
from lazycc.validator.analysis import int_leaves
from lazycc.validator.attributes import inst_align
from lazycc.validator.handlers.access import checked_access, nbytes
from lazycc.validator.handlers.opaque import volatile_access
from lazycc.validator.handlers.registry import handler
from lazycc.ir.model import Inst
from lazycc.ir.attrs import split_top
from lazycc.validator.memory import (OFFW, PTRW, from_bytes, is_local_bid, mk_ptr, nonlocal_ptr, ptr_bid, ptr_off,
                                     to_bytes, width_of)
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


@handler("ptrtoint", "inttoptr", "bitcast", "addrspacecast")
def h_ptrcast(ex: Exec, st: NodeState, ins: Inst):
    a, an = ex.operand(st, ins.ops[0])
    src_t, dst_t = ins.ops[0].ty, ins.ty
    if ins.opcode in ("bitcast", "addrspacecast"):
        if width_of(src_t) != width_of(dst_t) or "addrspace" in ins.text:
            raise Unsupported(ins.text)
        return a, an
    if ins.opcode == "ptrtoint":
        if ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_stack \
                and not ex.escape_ok:
            # without inttoptr and opaque calls the integer cannot become a pointer again: it is
            # just the block's address (the block dies at return)
            raise Unsupported(f"{ins.text} (address of a local block)")
        if ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_local and int_leaves(ex.fn, ins.key):
            ex.heap_escapes(ins, "int")
        if ins.ops[0].kind == "ref" and (ins.ops[0].key in ex.nocapture or ins.ops[0].key in ex.nocapture_sure):
            ex.add_ub(st, S.BoolVal(True))   # the address of a `captures(none)` parameter escapes
        for q in ex.converted:                # addresses seen as integers belong to disjoint blocks
            ex.disjoint(a, q, st, lifetimes=True)
        ex.converted.append(a)
        w = ins.ty.width
        addr = ex.addr_of(a)
        v = S.Extract(w - 1, 0, addr) if w <= PTRW else S.ZeroExt(w - PTRW, addr)
        return v, an
    w = src_t.width
    v = S.Extract(PTRW - 1, 0, a) if w >= PTRW else S.ZeroExt(PTRW - w, a)
    # Which object an integer points into is not known (a shared function of the integer).
    # It cannot reach this call's allocas: their addresses never escape (ptrtoint of a local
    # is refused), and an integer gets no provenance to an unexposed block.  Its address is
    # the integer (a fact of every execution: an integer cast to a pointer and back is itself).
    p = nonlocal_ptr(ex.sh.uf("inttoptr", S.BitVecSort(PTRW), S.BitVecSort(PTRW))(v))
    ex.addr_facts.append(ex.addr_of(p) == v)
    return p, an


def _gep_offset(ex: Exec, st: NodeState, ins: Inst) -> tuple[Any, list[Any], list[tuple[Any, Any]], list[Any]]:
    """Byte offset (64-bit) of a GEP, its indices' non-poison flags, per index the
    (signed, unsigned) no-overflow conditions of index × element size, and the conditions
    that each index moves by nothing (zero, or a zero-sized step)."""
    m = re.match(r".*?getelementptr (?:inbounds |nuw |nusw )*(.*)$", ins.text)
    if not m:
        raise Unsupported(ins.text)
    parts = split_top(m.group(1))
    ty = parts[0]
    lay = ex.layout
    off = S.BitVecVal(0, 64)
    nps = []
    cur = ty
    ovf = []
    zero = []
    for n, op in enumerate(ins.ops[1:]):
        if op.ty.kind != "int":
            raise Unsupported(ins.text)
        v, vn = ex.operand(st, op)
        nps.append(vn)
        w = op.ty.width
        # indices are sign-extended or truncated to the 64-bit index width
        v64 = S.SignExt(64 - w, v) if w < 64 else (S.Extract(63, 0, v) if w > 64 else v)
        try:
            if n == 0:
                size = lay.alloc_size(cur)
                elem = cur
            elif lay.is_struct(cur):
                if op.kind != "int":
                    raise Unsupported(ins.text)
                idx = op.value
                off = off + lay.field_offset(cur, idx)
                zero.append(S.BoolVal(idx == 0))
                cur = lay.field_type(cur, idx)
                continue
            else:
                elem, size = lay.element_stride(cur)
                cur = elem
        except ValueError:
            raise Unsupported(ins.text) from None
        prod = v64 * size
        if size:
            zero.append(v64 == 0)
        ovf.append((S.BVMulNoOverflow(v64, S.BitVecVal(size, 64), True),
                    S.BVMulNoOverflow(v64, S.BitVecVal(size, 64), False)))
        off = off + prod
    return off, nps, ovf, zero


@handler("getelementptr")
def h_gep(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "ptr":
        raise Unsupported(ins.text)     # a vector of pointers
    p, pn = ex.operand(st, ins.ops[0])
    off, nps, ovf, zero = _gep_offset(ex, st, ins)
    fl = set(ins.text.split("getelementptr", 1)[1].split()[:3])
    b = ptr_bid(p)
    o64 = S.ZeroExt(8, ptr_off(p))
    new = o64 + off
    res = ex.moved(p, off)
    np_ = [pn] + nps
    if fl & {"inbounds", "nusw"}:
        np_ += [s for s, _ in ovf]
    if "nuw" in fl:
        np_ += [u for _, u in ovf]
    if fl & {"nusw", "nuw"}:
        addr = ex.addr_of(p)
        moved = addr + off
        if "nuw" in fl:  # unsigned address + unsigned offset: no wrap
            np_.append(S.ULE(addr, moved))
        if "nusw" in fl:  # unsigned address + signed offset: no wrap
            np_.append(S.If((off >> 63) == 0, S.ULE(addr, moved), S.ULT(moved, addr)))
    if "inbounds" in fl:
        # in bounds of the block, offsets stay within [0, size]
        # (LLVM: the base is in bounds too; objects are smaller than the 2^56 offset space)
        # A GEP whose indices are all zero is in bounds whatever the base (LangRef; Alive2).
        bs = ex.block_size(b)
        np_.append(S.Or(S.And(*zero), S.And(S.BVAddNoOverflow(o64, off, True), S.BVAddNoUnderflow(o64, off),
                                            (new >> OFFW) == 0, S.ULE(new, bs), S.ULE(o64, bs))))
    return res, S.And(*np_)


@handler("alloca")
def h_alloca(ex: Exec, st: NodeState, ins: Inst):
    m = re.match(r".*?= alloca (?:inalloca )?(.*)$", ins.text)
    parts = split_top(m.group(1)) if m else []
    # a constant element count (`alloca T, i32 N`: N × T's size, 0 included); a variable one is
    # a dynamic size, not modelled
    if not parts or st.k or ins.ops[0].kind != "int" or ins.ops[0].value > 1 << 20 or "addrspace" in ins.text:
        raise Unsupported(ins.text)
    if ins.key in ex.fn_alloca_bids if hasattr(ex, "fn_alloca_bids") else False:
        bid = ex.fn_alloca_bids[ins.key]
    else:
        # Thunk allocas of the rewriter (named with its THUNK_PREFIX, tgt only) are numbered
        # from the top (255 down) so the caller's own allocas get the same block ids on both
        # sides (ids are an encoding artefact; the lockstep check relates blocks by id).
        prefix = ex.sh.thunk_prefix
        if prefix is not None and ins.name.startswith(prefix):
            bid = ex.next_thunk_local
            ex.next_thunk_local = bid - 1
        else:
            bid = ex.next_local
            ex.next_local += 1
        if bid > 255 or ex.next_local > ex.next_thunk_local + 1:
            raise Unsupported("more than 128 allocas")
        ex.fn_alloca_bids = getattr(ex, "fn_alloca_bids", {})
        ex.fn_alloca_bids[ins.key] = bid
    try:
        ex.local_sizes[bid] = ex.layout.alloc_size(parts[0]) * ins.ops[0].value
    except ValueError:
        raise Unsupported(ins.text) from None
    st.alive[bid] = S.BoolVal(ins.key not in ex.starts_dead)
    ex.local_align[bid] = inst_align(ins, 1)
    return mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(0, OFFW)), S.BoolVal(True)


@handler("load")
def h_load(ex: Exec, st: NodeState, ins: Inst):
    if " atomic " in ins.text:
        raise Unsupported(ins.text)
    p, pn = ex.operand(st, ins.ops[0])
    n = nbytes(ex, ins.ty)
    checked_access(ex, st, ins.ops[0], p, pn, n, inst_align(ins, 1), write=False)
    if " volatile " in ins.text:
        return volatile_access(ex, st, f"volatile.load.{ins.ty}", [(p, pn)], ins.ty)
    bs = ex.load_bytes(st, p, n)
    if ex.layout.big_endian:
        bs = bs[::-1]   # the value's least significant byte is the last in memory
    v, np_ = from_bytes(bs, ins.ty)
    w = width_of(ins.ty)
    if ins.ty.kind == "int" and w < 8 * n:
        # LangRef: an iN with N not a multiple of 8 is undefined unless the bytes were written by
        # a store of that type, i.e. with zero padding bits: otherwise any value (a choice).
        raw = S.Concat(*reversed([S.Extract(7, 0, x) for x in bs])) if n > 1 else S.Extract(7, 0, bs[0])
        pad_ok = S.Extract(8 * n - 1, w, raw) == 0
        v = S.If(pad_ok, v, ex.sh.choice(ex.side, ex.sh.fresh(f"load.undef.{ex.side}", w)))
    if ins.ty.kind == "ptr" and ins.key not in ex.maybe_local:
        # local_taint: no local address can be stored where this load reads (storing one to
        # memory that may be non-local is refused; initial memory holds non-local pointers)
        v = nonlocal_ptr(v)
    # Metadata that adds poison/UB must not be ignored (tgt could gain it).
    md = set(re.findall(r"!([\w.]+) !", ins.text))
    if md & {"align", "dereferenceable", "dereferenceable_or_null", "noalias.addrspace"}:
        raise Unsupported(ins.text + " (load metadata)")
    if "range" in md:
        np_ = S.And(np_, md_range(ex, ins, v))
    if "nonnull" in md:
        np_ = S.And(np_, ex.addr_of(v) != 0)   # null is address 0, as for the attribute
    if "noundef" in md:
        ex.add_ub(st, S.Not(np_))
    return v, np_


@handler("store")
def h_store(ex: Exec, st: NodeState, ins: Inst):
    if " atomic " in ins.text:
        raise Unsupported(ins.text)
    vop, pop = ins.ops
    if vop.kind == "ref" and vop.key in ex.maybe_local and not (pop.kind == "ref" and pop.key in ex.def_local):
        if vop.key in ex.maybe_stack:
            raise Unsupported(f"{ins.text} (stores a local address to memory that may be non-local)")
        ex.heap_escapes(ins, "mem")
    v, vn = ex.operand(st, vop)
    p, pn = ex.operand(st, pop)
    n = nbytes(ex, vop.ty)
    checked_access(ex, st, pop, p, pn, n, inst_align(ins, 1), write=True)
    if vop.kind == "ref" and vop.key in ex.nocapture and not (pop.kind == "ref" and pop.key in ex.def_local):
        ex.add_ub(st, S.BoolVal(True))   # may capture a `captures(none)` parameter
    if vop.kind == "ref" and vop.key in ex.nocapture_src and ins.key in ex.final_stores:
        # still in non-local memory when the function returns: captured (Alive2's check at return)
        ex.add_ub(st, S.And(vn, S.Not(is_local_bid(ptr_bid(p)))))
    if " volatile " in ins.text:
        volatile_access(ex, st, f"volatile.store.{vop.ty}", [(p, pn), (v, vn)], None)
        return None
    data = to_bytes(v, vn, vop.ty, n)
    ex.store_bytes(st, p, data[::-1] if ex.layout.big_endian else data)
    return None


def md_range(ex: Exec, ins: Inst, v: Any) -> Any:
    """`!range !N` on a load or call: the value is poison outside the node's [lo, hi) pairs."""
    m = re.search(r"!range (![\w.]+)", ins.text)
    node = re.search(r"^" + re.escape(m.group(1)) + r" = !\{(.*)\}$", ex.mod.text, re.M) if m else None
    if node is None or ins.ty.kind != "int":
        raise Unsupported(ins.text + " (!range metadata)")
    w = ins.ty.width
    nums = [int(x) % (1 << w) for x in re.findall(r"i\d+ (-?\d+)", node.group(1))]
    if not nums or len(nums) % 2:
        raise Unsupported(ins.text + " (!range metadata)")
    ok = []
    for lo, hi in zip(nums[::2], nums[1::2]):
        if lo == hi:
            return S.BoolVal(True)
        lo_v, hi_v = S.BitVecVal(lo, w), S.BitVecVal(hi, w)
        ok.append(S.And(S.UGE(v, lo_v), S.ULT(v, hi_v)) if lo < hi else S.Or(S.UGE(v, lo_v), S.ULT(v, hi_v)))
    return S.Or(*ok)
