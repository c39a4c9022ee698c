"""malloc & co. (docs/validator.md, "Heap"): allocation functions make local heap blocks
with symbolic sizes and a success flag; free kills them."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lazycc.validator import smt as S
from lazycc.validator.attributes import apply_ret_attrs, attr_tokens, call_site_arg, memory_effects
from lazycc.validator.callsite import HeapFn, call_arg_texts
from lazycc.validator.handlers.access import store_range
from lazycc.ir.model import Inst
from lazycc.validator.memory import BYTE, LIVE_OFF, OFFW, PTRW, is_local_bid, locality, mk_ptr, ptr_bid, ptr_off
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


def _heap_arg(ex: Exec, st: NodeState, ins: Inst, i: int) -> tuple[Any, Any]:
    """Argument i of a heap function: `noundef` (Alive2's known functions), so poison or a
    literal undef is UB; call-site attributes (`nonnull`...) apply as at any call."""
    o = ins.ops[i]
    v, n = ex.operand(st, o)
    texts = call_arg_texts(ins, ins.ops[-1].name)
    if i < len(texts):
        v, n = call_site_arg(ex, st, o, v, n, texts[i])
    ex.add_ub(st, S.Or(S.Not(n), S.BoolVal(o.kind == "undef")))
    return v, n


def to64(v) -> tuple[Any, Any]:
    """An integer as a 64-bit size, and whether it fits."""
    w = S.width(v)
    if w <= 64:
        return (S.ZeroExt(64 - w, v) if w < 64 else v), S.BoolVal(True)
    return S.Extract(63, 0, v), S.Extract(w - 1, 64, v) == 0


def _heap_size(ex: Exec, st: NodeState, ins: Inst, hf: HeapFn, bid: int) -> tuple[Any, Any]:
    """(size, the size computation did not overflow) of an allocation (calloc: n * size)."""
    if not hf.size:
        return ex.sh.fresh(f"alloc.size.{ex.side}.{bid}", 64), S.BoolVal(True)
    size, ok = None, []
    for i in hf.size:
        v, fits = to64(_heap_arg(ex, st, ins, i)[0])
        ok.append(fits)
        if size is not None:
            ok.append(S.BVMulNoOverflow(size, v, False))
        size = v if size is None else size * v
    return size, S.And(*ok)


def _heap_alloc(ex: Exec, st: NodeState, ins: Inst, hf: HeapFn, ret_attrs: str) -> tuple[Any, Any, int]:
    """A fresh block: (pointer, allocated, block id).  It may fail (null) unless the call site
    promises a non-null result; whether it succeeds is the target's choice (every outcome is
    checked) and the source's (first the target's, then its own, resolved angelically:
    refine.py); with the shared
    input `malloc_never_fails` every allocation of a valid size succeeds (Alive2).  A size
    that overflows (calloc) or does not fit the offset space gives null."""
    if st.k:
        raise Unsupported(f"{ins.text} (allocation in a loop)")
    bid = getattr(ex, "fn_alloca_bids", {}).get(ins.key)
    if bid is None:
        bid = ex.next_heap
        ex.next_heap -= 1
        ex.fn_alloca_bids = getattr(ex, "fn_alloca_bids", {})
        ex.fn_alloca_bids[ins.key] = bid
    size, size_ok = _heap_size(ex, st, ins, hf, bid)
    align = hf.align
    valid = [size_ok, S.ULT(size, S.BitVecVal(LIVE_OFF, 64))]
    if hf.align_arg is not None:
        ao = ins.ops[hf.align_arg]
        if ao.kind != "int" or ao.value <= 0:
            raise Unsupported(f"{ins.text} (alignment not a constant)")
        av = ao.value
        if av & (av - 1):
            valid.append(S.BoolVal(False))     # not a power of two: null (Alive2)
        else:
            align = max(align, av)
            valid.append(S.URem(size, S.BitVecVal(av, 64)) == 0)
    toks = attr_tokens(ret_attrs)
    nonnull = "nonnull" in toks or any(t.startswith("dereferenceable(") for t in toks)
    # one name on both sides: the source takes the target's outcome (refine.py retries with
    # the source's own choice when that gives a counterexample)
    choice = ex.sh.choice(ex.side, S.Bool(f"alloc.ok.{ex.side}.{bid}" if ex.sh.own_choices else f"alloc.ok.{bid}"))
    ok = S.And(*valid, S.Or(S.BoolVal(nonnull), S.Bool("malloc_never_fails"), choice))
    ex.heap_sizes[bid] = size
    ex.heap_ok[bid] = ok
    ex.local_align[bid] = align
    st.alive[bid] = ok
    blk = mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(0, OFFW))
    if hf.contents == "zeroed":
        store_range(ex, st, blk, size, lambda a: S.BitVecVal(0x100, BYTE))
    elif hf.contents == "uninitialized":
        store_range(ex, st, blk, size, lambda a: S.BitVecVal(0, BYTE))    # poison
    else:   # contents the allocator does not specify: unknown bytes (each side's own)
        junk = S.Array(f"alloc.contents.{ex.side}.{bid}", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
        store_range(ex, st, blk, size, lambda a: S.Select(junk, a))
    return S.If(ok, blk, S.BitVecVal(0, PTRW)), ok, bid


def _heap_free(ex: Exec, st: NodeState, p) -> None:
    """Deallocate the block `p` points to: UB unless p is null or the start of a live heap
    block (this call's, or a non-local block that may be one: the shared unknown `heapblk`;
    never a global or an alloca).  Local heap blocks die in `alive`; a non-local block by
    changing its liveness byte (Exec.nonlocal_alive).  A function that promised `nofree` may
    not free memory it did not allocate."""
    b = ptr_bid(p)
    null = S.Or(p == 0, ex.addr_of(p) == 0)    # address 0, whatever block it came from
    loc = locality(b)
    local_heap = S.Or(S.BoolVal(False), *[b == hb for hb in ex.heap_sizes])
    nonlocal_heap = S.And(S.Not(is_local_bid(b)), *[b != g for g in ex.sh.gbid.values()],
                          ex.sh.uf("heapblk", S.BitVecSort(8), S.BoolSort())(b))
    ok = S.And(ptr_off(p) == 0, ex.alive(st, b), S.If(is_local_bid(b), local_heap, nonlocal_heap))
    ex.add_ub(st, S.And(S.Not(null), S.Not(ok)))
    if "nofree" in attr_tokens(ex.fn.fn_attrs):
        ex.add_ub(st, S.And(S.Not(null), S.Not(is_local_bid(b))))
    for hb in ex.heap_sizes:
        st.alive[hb] = S.And(st.alive[hb], S.Or(null, b != hb))
    if not S.is_true(loc):
        at = mk_ptr(b, S.BitVecVal(LIVE_OFF, OFFW))
        old = S.Select(ex.sh.mem0, at)
        # the liveness byte is a defined byte (a change of it is compared at return)
        ex.addr_facts.append(S.Extract(8, 8, old) == 1)
        ex.addr_facts.append(S.ULT(ex.block_size(b), S.BitVecVal(LIVE_OFF, 64)))
        dead = S.Store(st.NL, at, S.Concat(S.BitVecVal(1, 1), ~S.Extract(7, 0, old)))
        st.NL = S.If(S.Or(null, loc), st.NL, dead)


def heap_call(ex: Exec, st: NodeState, ins: Inst, hf: HeapFn, attrs: str, ret_attrs: str):
    """malloc, calloc, realloc, free and the like, as Alive2 models them (docs/validator.md)."""
    frees = "nofree" not in attrs.split() and memory_effects(attrs)[1]
    if hf.kind == "free":
        p, _ = _heap_arg(ex, st, ins, hf.ptr)
        if frees:
            _heap_free(ex, st, p)
        return None
    old = _heap_arg(ex, st, ins, hf.ptr)[0] if hf.kind == "realloc" else None
    r, ok, bid = _heap_alloc(ex, st, ins, hf, ret_attrs)
    if old is not None:
        # the new block starts with the old block's bytes (as many as both have), read before
        # the old block is freed: on success, or always for size 0 (Alive2)
        ob, o_off = ptr_bid(old), ptr_off(old)
        n = S.If(S.ULT(ex.block_size(ob), ex.heap_sizes[bid]), ex.block_size(ob), ex.heap_sizes[bid])
        n = S.If(old == 0, S.BitVecVal(0, 64), n)
        L0, NL0, loc = st.L, st.NL, locality(ob)

        def old_byte(a):
            sa = mk_ptr(ob, o_off + ptr_off(a))
            return S.If(loc, S.Select(L0, sa), S.Select(NL0, sa))
        store_range(ex, st, mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(0, OFFW)), n, old_byte)
        if frees:
            _heap_free(ex, st, S.If(S.Or(ex.heap_sizes[bid] == 0, ok), old, S.BitVecVal(0, PTRW)))
    return apply_ret_attrs(ex, st, r, S.BoolVal(True), ret_attrs, ins.ty, call=True)
