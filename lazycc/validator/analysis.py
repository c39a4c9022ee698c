"""Syntactic analyses of a function used by the encoding (LLVM's analysis/transform split).

No terms and no solver: sets of instruction keys computed from the IR alone -- the CFG
order and back edges (`dfs_order`), values that may or must hold a local address
(`local_taint`), `captures(none)` carriers (`may_carry*`, `must_carry_nocapture`),
instructions a freeing call may precede (`after_free`), values certainly based on a
parameter (`must_based`), stores nothing overwrites (`final_stores`), allocas under
lifetime markers, and whether the heap model applies (`heap_sites`, `heap_model_applies`,
`heap_escape_ok`).
"""
from __future__ import annotations

import re

from lazycc.validator.attributes import (attr_tokens, captures_nothing, memory_effects, no_capture,
                                         ret_may_carry_provenance)
from lazycc.validator.callsite import (LIBC, LIBC_MODELLED, call_arg_texts, call_parts, heap_fn, heap_fn_of,
                                       returned_arg_ok)
from lazycc.ir import cfg
from lazycc.ir.model import Function, Inst, Module, expand_attrs


def block_successors(fn: Function) -> dict[int, list[int]]:
    """Block key -> its successors' keys in terminator order (the `lazycc.ir.cfg` protocol)."""
    return {b.key: [o.key for o in b.term.ops if o.kind == "block"] for b in fn.blocks}


def dfs_order(fn: Function) -> tuple[list[int], set[tuple[int, int]]]:
    """Reverse post-order of the CFG and its DFS back (retreating) edges (`lazycc.ir.cfg.dfs`)."""
    return cfg.dfs(block_successors(fn), fn.blocks[0].key)


def local_taint(fn: Function, heap: frozenset[int] | set[int] = frozenset()) -> tuple[set[int], set[int]]:
    """Values that may point into this call's allocas (and heap blocks: the allocation calls
    `heap`, which may also return null), and those that must.

    Alloca pointers escaping to calls, to non-local memory, to integers or to the
    return value are refused (Unsupported) by the handlers: this keeps local
    memory private, so it never needs comparing and calls never read it.  Heap
    pointers may escape in the ways Exec.heap_escapes allows.
    """
    maybe, must = set(), set()
    insts = [i for b in fn.blocks for i in b.insts]
    changed = True
    stored_local = False  # does any store write a maybe-local pointer into memory?
    stored_out = False    # ... into memory that may be non-local (heap pointers only)?
    while changed:
        changed = False
        if not stored_local and any(i.opcode == "store" and i.ops[0].kind == "ref" and i.ops[0].key in maybe
                                    for i in insts):
            stored_local = True
            changed = True
        if not stored_out and any(i.opcode == "store" and i.ops[0].kind == "ref" and i.ops[0].key in maybe
                                  and not (i.ops[1].kind == "ref" and i.ops[1].key in must) for i in insts):
            stored_out = True
            changed = True
        for i in insts:
            refs = [o.key for o in i.ops if o.kind == "ref"]
            if i.opcode == "alloca":
                m, d = True, True
            elif i.key in heap:
                m, d = True, False
            elif i.opcode in ("getelementptr", "bitcast", "addrspacecast", "freeze"):
                m = bool(refs) and refs[0] in maybe if i.ops[0].kind == "ref" else False
                d = i.ops[0].kind == "ref" and i.ops[0].key in must
            elif i.opcode in ("select", "phi"):
                vals = i.ops[1:] if i.opcode == "select" else i.ops
                m = any(o.kind == "ref" and o.key in maybe for o in vals)
                d = all(o.kind == "ref" and o.key in must for o in vals)
            elif i.opcode == "load" and i.ty.kind == "ptr":
                m = stored_out or (stored_local and i.ops[0].kind == "ref" and i.ops[0].key in maybe)
                d = False
            else:
                continue
            if m and i.key not in maybe:
                maybe.add(i.key)
                changed = True
            if d and i.key not in must:
                must.add(i.key)
                changed = True
    return maybe, must


ANY_STORED = -1   # local_origins: a pointer loaded from memory (any block whose address is stored)


def local_origins(fn: Function, maybe_local: set[int]) \
        -> tuple[dict[int, frozenset[int]], frozenset[int] | None, frozenset[int]]:
    """Which allocas each maybe-local value may point into (`ANY_STORED` for a loaded pointer);
    the holders: the allocas a local address may be stored in (None when a store's address,
    an atomic or a memory copy could put local addresses where this cannot follow them); the
    allocas whose address is stored (where a loaded local pointer may point).

    A call passed a local block can reach another local block only through an address held in
    the block passed (captures(none) forbids keeping it): blocks that are no holder hold none
    (their bytes are written by stores of other values and by calls, which never give a local
    address).  The thunk allocas of a lazification hold the address of a caller's buffer that
    the deferred call then reads: the buffer is passed, the thunk is not."""
    insts = [i for b in fn.blocks for i in b.insts]
    org: dict[int, frozenset[int]] = {}
    changed = True
    while changed:
        changed = False
        for i in insts:
            if i.key not in maybe_local:
                continue
            if i.opcode == "alloca":
                new = frozenset({i.key})
            elif i.opcode in ("getelementptr", "bitcast", "addrspacecast", "freeze"):
                new = org.get(i.ops[0].key, frozenset()) if i.ops[0].kind == "ref" else frozenset()
            elif i.opcode in ("select", "phi"):
                vals = i.ops[1:] if i.opcode == "select" else i.ops
                new = frozenset().union(*[org.get(o.key, frozenset()) for o in vals if o.kind == "ref"])
            elif i.opcode == "load":
                new = frozenset({ANY_STORED})
            else:
                continue
            if new != org.get(i.key, frozenset()) and not new <= org.get(i.key, frozenset()):
                org[i.key] = org.get(i.key, frozenset()) | new
                changed = True
    stored: set[int] = set()
    holders: set[int] = set()
    for i in insts:
        if i.opcode in ("atomicrmw", "cmpxchg") and any(o.kind == "ref" and o.key in maybe_local for o in i.ops[1:]):
            return org, None, frozenset()
        if i.opcode == "store" and i.ops[0].kind == "ref" and i.ops[0].key in maybe_local:
            if i.ops[1].kind != "ref" or not org.get(i.ops[1].key):
                return org, None, frozenset()
            stored |= org.get(i.ops[0].key, frozenset())
            holders |= org[i.ops[1].key]
    stored.discard(ANY_STORED)
    if not holders:
        return org, frozenset(), frozenset(stored)
    if ANY_STORED in holders:
        holders |= stored
    for i in insts:
        if i.opcode == "call" and i.ops and i.ops[-1].kind == "global" \
                and i.ops[-1].name.startswith(("llvm.memcpy", "llvm.memmove")):
            return org, None, frozenset()   # may copy a held address elsewhere
    return org, frozenset(holders - {ANY_STORED}), frozenset(stored)


def may_carry_nocapture(fn: Function, mod: Module | None = None) -> set[int]:
    """Values that may carry the provenance of a `captures(none)` parameter (may_carry).
    Only the target uses it (refine needs the target's UB over-approximated): storing such a
    value to memory that may be non-local, or ptrtoint of it, is UB there; returning it, poison
    (Alive2 checks the memory at return; we check the store)."""
    return may_carry(fn, {p.key for p in fn.params if p.ty.kind == "ptr" and no_capture(p.attrs)}, mod)


def _result_may_carry(ins: Inst, s: set[int], mod: Module) -> bool:
    """Can the result of this direct call be based on one of the values `s` it is passed?
    Not through an argument whose parameter (declaration or call site) keeps provenance out
    of the return value (`ret_may_carry_provenance`)."""
    name = ins.ops[-1].name
    decl = mod.decls.get(name)
    texts = call_arg_texts(ins, name)
    for n, o in enumerate(ins.ops[:-1]):
        if o.kind != "ref" or o.key not in s:
            continue
        site = texts[n] if n < len(texts) else None
        declared = decl.param_attrs[n] if decl is not None and n < len(decl.param_attrs) else None
        if site is None and declared is None:
            return True          # a vararg or an unparsed argument: no promise
        if all(ret_may_carry_provenance(a) for a in (site, declared) if a is not None):
            return True
    return False


def may_carry(fn: Function, seed: set[int], mod: Module | None = None) -> set[int]:
    """Values that may carry the provenance of the values `seed` (a syntactic
    over-approximation: pointer arithmetic, select/phi/freeze, loads once such a value was
    stored anywhere, call results once one was passed, inttoptr once one was converted).
    With `mod`, a direct call's result carries only what its parameters' `captures(...)` let
    the return value carry."""
    if not seed:
        return set()
    s = set(seed)
    insts = [i for b in fn.blocks for i in b.insts]
    base = _private_alloca_bases(insts)
    changed = True
    while changed:
        changed = False
        # where such values were stored: the private allocas (a thunk) they went into, or
        # anywhere (None in the set) -- a load then carries only if it may read one of those
        into = set()
        for i in insts:
            if i.opcode == "store" and i.ops[0].kind == "ref" and i.ops[0].key in s:
                where = base.get(i.ops[1].key) if i.ops[1].kind == "ref" else None
                into.add(None if where is None else (*where, _access_bytes(i.ops[0].ty)))
        stored = None in into
        converted = any(i.opcode == "ptrtoint" and i.ops[0].kind == "ref" and i.ops[0].key in s for i in insts)
        for i in insts:
            if i.key in s:
                continue
            refs = {o.key for o in i.ops if o.kind == "ref"}
            hit = bool(refs & s)
            if i.opcode in ("call", "invoke") and hit and mod is not None and i.ops and i.ops[-1].kind == "global":
                take = _result_may_carry(i, s, mod)
            elif i.opcode in ("getelementptr", "bitcast", "addrspacecast", "freeze", "select", "phi", "call",
                              "invoke", "extractvalue", "insertvalue", "ptrmask"):
                take = hit
            elif i.opcode == "load":
                where = base.get(i.ops[0].key) if i.ops[0].kind == "ref" else None
                take = stored or (where is not None and any(_may_overlap((*where, _access_bytes(i.ty)), t)
                                                            for t in into))
            elif i.opcode == "inttoptr":
                take = converted
            else:
                take = False
            if take and i.ty.kind in ("ptr", "agg", "other"):
                s.add(i.key)
                changed = True
    return s


_BYTE_GEP = re.compile(r"=\s*getelementptr (?:inbounds |nuw |nusw )*i8, ")


def _private_alloca_bases(insts: list[Inst]) -> dict[int, tuple[int, int | None]]:
    """Pointer values -> (the alloca they are based on, their constant byte offset in it or
    None), for the allocas whose address never leaves those values: used only as the address
    of loads and stores (and by lifetime markers, and as an argument of indirect calls, which
    the executor refuses wherever they are reachable: `handlers.call._indirect_call`). Memory
    of such an alloca is read only through them: a value stored there comes back only from a
    load based on it (and, at known offsets, only from a load that overlaps the store)."""
    users: dict[int, list[Inst]] = {}
    for i in insts:
        for o in i.ops:
            if o.kind == "ref":
                users.setdefault(o.key, []).append(i)
    out: dict[int, tuple[int, int | None]] = {}
    for a in insts:
        if a.opcode != "alloca":
            continue
        derived: dict[int, int | None] = {a.key: 0}
        work, private = [a.key], True
        while work and private:
            k = work.pop()
            for u in users.get(k, ()):
                if u.opcode in ("getelementptr", "bitcast", "addrspacecast") and u.ops and \
                        u.ops[0].kind == "ref" and u.ops[0].key == k and \
                        not any(o.kind == "ref" and o.key == k for o in u.ops[1:]):
                    if u.key not in derived:
                        off = derived[k]
                        if u.opcode == "getelementptr":
                            byte = _BYTE_GEP.search(u.text) and len(u.ops) == 2 and u.ops[1].kind == "int" \
                                and 0 <= u.ops[1].value < 1 << 31    # (a negative index: offset unknown)
                            off = off + u.ops[1].value if byte and off is not None else None
                        derived[u.key] = off
                        work.append(u.key)
                elif u.opcode == "load" and len(u.ops) == 1:
                    pass
                elif u.opcode == "store" and len(u.ops) == 2 and u.ops[1].kind == "ref" and u.ops[1].key == k \
                        and not (u.ops[0].kind == "ref" and u.ops[0].key == k):
                    pass
                elif u.opcode == "call" and u.ops and u.ops[-1].kind == "global" and \
                        u.ops[-1].name.startswith("llvm.lifetime."):
                    pass
                elif u.opcode == "call" and u.ops and u.ops[-1].kind == "ref" and u.ops[-1].key != k:
                    pass    # an indirect call handed a local address (the harness's guarded force
                    # fallback): refused where reachable, so no checked execution passes it on
                else:
                    private = False
                    break
        if private:
            out.update({k: (a.key, off) for k, off in derived.items()})
    return out


def _access_bytes(ty) -> int | None:
    """Bytes a load/store of `ty` touches, where simply known (pointers, integers)."""
    if ty.kind == "ptr":
        return 8
    if ty.kind == "int" and ty.width and ty.width % 8 == 0:
        return ty.width // 8
    return None


def _may_overlap(a: tuple[int, int | None, int | None], b: tuple[int, int | None, int | None]) -> bool:
    """Two accesses (alloca, offset, size) may touch a common byte."""
    if a[0] != b[0]:
        return False
    if None in (a[1], a[2], b[1], b[2]):
        return True
    return a[1] < b[1] + b[2] and b[1] < a[1] + a[2]


def _call_may_free(ins: Inst, mod: Module, maybe_local: set[int] = frozenset()) -> bool:
    """Can this call deallocate memory that existed before it (LangRef `nofree`)?  An indirect
    call handed a local address is the harness's guarded fallback: accepted only where the
    solver proves it unreachable (_indirect_call), so it frees nothing."""
    if ins.opcode not in ("call", "invoke", "callbr"):
        return False
    callee = ins.ops[-1] if ins.ops else None
    if callee is not None and callee.kind != "global" and any(
            o.kind == "ref" and o.key in maybe_local for o in ins.ops):
        return False
    tail = ins.text[ins.text.rfind(")"):] if callee is None or callee.kind != "global" else call_parts(ins)[1]
    site = expand_attrs(tail.split("[", 1)[0].split("!", 1)[0], mod.attr_groups)
    if callee is None or callee.kind != "global":
        return "nofree" not in site.split()     # an indirect call: its site attributes only
    if callee.name.startswith("llvm."):
        return False                            # no intrinsic we model frees
    d = mod.decls.get(callee.name)
    attrs = (d.attrs if d else "") + " " + site
    if "nofree" in attrs.split() or "readnone" in attrs.split():
        return False
    hf = heap_fn(d, ins, site) if d is not None else None
    if hf is not None and hf.kind == "alloc":
        return False                            # allocating frees nothing (Alive2: nofree)
    return memory_effects(attrs)[1] or "memory(" not in attrs


def after_free(fn: Function, mod: Module, maybe_local: set[int] = frozenset()) -> set[int]:
    """Instructions that may execute after a call that may free memory (a forward dataflow
    over the CFG).  Only there is the liveness of non-local blocks tracked
    (Exec.nonlocal_alive); before, every one is alive, exactly."""
    succ = {b.key: [o.key for o in b.term.ops if o.kind == "block"] for b in fn.blocks}
    freeing = {i.key for b in fn.blocks for i in b.insts if _call_may_free(i, mod, maybe_local)}
    reached: set[int] = set()          # blocks entered after a freeing call
    work = [t for b in fn.blocks if any(i.key in freeing for i in b.insts) for t in succ[b.key]]
    while work:
        k = work.pop()
        if k not in reached:
            reached.add(k)
            work += succ[k]
    out: set[int] = set()
    for b in fn.blocks:
        seen = b.key in reached
        for i in b.insts:
            if seen:
                out.add(i.key)
            seen = seen or i.key in freeing
    return out


def must_based(fn: Function, key: int, mod: Module) -> set[int]:
    """The parameter `key`, GEPs/casts of it and results of calls that pass it to a `returned`
    parameter (the result is that argument): certainly based on it."""
    s = {key}
    for b in fn.blocks:   # defs dominate uses: one pass in block order reaches the chains
        for i in b.insts:
            if i.opcode in ("getelementptr", "bitcast", "addrspacecast") and i.ops and \
                    i.ops[0].kind == "ref" and i.ops[0].key in s:
                s.add(i.key)
            elif i.opcode == "call" and i.ops and i.ops[-1].kind == "global" and i.ty.kind == "ptr":
                name = i.ops[-1].name
                decl = mod.decls.get(name)
                texts = call_arg_texts(i, name)
                for n, o in enumerate(i.ops[:-1]):
                    ret = (n < len(texts) and "returned" in attr_tokens(texts[n])[1:-1]) or (
                        decl is not None and n < len(decl.param_attrs) and "returned" in decl.param_attrs[n].split())
                    if ret and o.kind == "ref" and o.key in s and returned_arg_ok(i, n):
                        s.add(i.key)
    return s


def must_carry_nocapture(fn: Function, strict: bool = False) -> set[int]:
    """Values that certainly carry a `captures(none)` parameter's provenance: the parameter and
    GEPs/casts of it.  ptrtoint of one is UB on either side (Alive2: an escaping ptrtoint of a
    nocapture pointer), exactly, so the source may rely on it.  `strict`: of parameters that
    capture nothing at all (nocapture, captures(none))."""
    ok = captures_nothing if strict else no_capture
    s = {p.key for p in fn.params if p.ty.kind == "ptr" and ok(p.attrs)}
    if not s:
        return s
    for b in fn.blocks:   # defs dominate uses: one pass in block order reaches the chains
        for i in b.insts:
            if i.opcode in ("getelementptr", "bitcast", "addrspacecast") and i.ops and \
                    i.ops[0].kind == "ref" and i.ops[0].key in s:
                s.add(i.key)
    return s


# Instructions that neither write memory nor may stop an execution other than by UB.
_QUIET_OPS = {"add", "sub", "mul", "udiv", "sdiv", "urem", "srem", "shl", "lshr", "ashr", "and", "or", "xor",
              "fadd", "fsub", "fmul", "fdiv", "frem", "fneg", "icmp", "fcmp", "select", "phi", "freeze",
              "getelementptr", "trunc", "zext", "sext", "fptrunc", "fpext", "fptoui", "fptosi", "uitofp",
              "sitofp", "ptrtoint", "inttoptr", "bitcast", "addrspacecast", "extractvalue", "insertvalue",
              "extractelement", "insertelement", "shufflevector", "alloca", "ret", "br", "switch",
              "unreachable"}
QUIET_INTRINSICS = ("llvm.dbg.", "llvm.assume", "llvm.lifetime.", "llvm.experimental.noalias.scope.decl",
                     "llvm.donothing", "llvm.expect")


def final_stores(fn: Function, def_local: set[int]) -> set[int]:
    """Stores after which the function certainly ends (returns, or has UB) without writing
    memory that may be non-local again: no store that may be non-local, no call but a few
    quiet intrinsics, no cycle.  What such a store leaves in non-local memory is still there
    at the return."""
    succ = {b.key: [o.key for o in b.term.ops if o.kind == "block"] for b in fn.blocks}

    def quiet(i: Inst) -> bool:
        if i.opcode == "store":
            return i.ops[1].kind == "ref" and i.ops[1].key in def_local and " volatile " not in i.text
        if i.opcode == "load":
            return " volatile " not in i.text and " atomic " not in i.text
        if i.opcode == "call":
            return bool(i.ops) and i.ops[-1].kind == "global" and i.ops[-1].name.startswith(QUIET_INTRINSICS)
        return i.opcode in _QUIET_OPS

    _, back = dfs_order(fn)
    on_cycle = {u for u, _ in back} | {v for _, v in back}
    # blocks whose every execution from their start is quiet and acyclic (a fixpoint, from the exits)
    calm: set[int] = set()
    changed = True
    while changed:
        changed = False
        for b in fn.blocks:
            if b.key in calm or b.key in on_cycle:
                continue
            if all(quiet(i) for i in b.insts) and all(t in calm for t in succ[b.key]):
                calm.add(b.key)
                changed = True
    out: set[int] = set()
    for b in fn.blocks:
        if b.key in on_cycle or not all(t in calm for t in succ[b.key]):
            continue
        for n, i in enumerate(b.insts):
            if i.opcode == "store" and all(quiet(j) for j in b.insts[n + 1:]):
                out.add(i.key)
    return out


def lifetime_started(fn: Function) -> set[int]:
    keys = set()
    for b in fn.blocks:
        for i in b.insts:
            if i.opcode == "call" and "@llvm.lifetime.start" in i.text:
                for o in i.ops:
                    if o.kind == "ref":
                        keys.add(o.key)
    return keys


def heap_sites(fn: Function, mod: Module, decl_override: dict) -> set[int]:
    """The calls of `fn` that allocate a heap block (their results may point to it)."""
    return {i.key for b in fn.blocks for i in b.insts
            if (h := heap_fn_of(i, mod, decl_override)) is not None and h.kind != "free"}


def heap_model_applies(fn: Function, mod: Module, decl_override: dict) -> bool:
    """False when a heap address is passed to a call the model cannot follow (an opaque call:
    it sees non-local memory only) or escapes where one could find it (Exec.heap_escapes).
    The pair is then checked with allocation functions as
    opaque calls on both sides, the model without heap blocks."""
    sites = heap_sites(fn, mod, decl_override)
    if not sites:
        return True
    (maybe, must), stack = local_taint(fn, sites), local_taint(fn)[0]
    heap = maybe - stack
    if not heap_escape_ok(fn, mod, decl_override) and any(
            (i.opcode == "store" and i.ops[0].kind == "ref" and i.ops[0].key in heap
             and not (i.ops[1].kind == "ref" and i.ops[1].key in must))
            or (i.opcode == "ptrtoint" and i.ops[0].kind == "ref" and i.ops[0].key in heap and int_leaves(fn, i.key))
            for b in fn.blocks for i in b.insts):
        return False     # an escape Exec.heap_escapes would refuse
    for b in fn.blocks:
        for i in b.insts:
            if i.opcode not in ("call", "invoke", "callbr") or not any(
                    o.kind == "ref" and o.key in maybe and o.key not in stack for o in i.ops[:-1]):
                continue
            callee = i.ops[-1]
            if not (callee.kind == "global" and (callee.name.startswith("llvm.") or callee.name in LIBC_MODELLED
                                                 or heap_fn_of(i, mod, decl_override) is not None)):
                return False
    return True


def int_leaves(fn: Function, key: int) -> bool:
    """May (a value computed from) integer `key` be stored or returned?  Comparisons end the
    chain: a truth value carries no address.  (Calls and inttoptr are excluded by
    heap_escape_ok wherever this matters.)"""
    s = {key}
    insts = [i for b in fn.blocks for i in b.insts]
    changed = True
    while changed:
        changed = False
        for i in insts:
            if not any(o.kind == "ref" and o.key in s for o in i.ops):
                continue
            if i.opcode in ("store", "ret", "call", "invoke", "callbr"):
                return True
            if i.opcode not in ("icmp", "fcmp", "br", "switch") and i.key not in s:
                s.add(i.key)
                changed = True
    return False


def heap_escape_ok(fn: Function, mod: Module, decl_override: dict) -> bool:
    """No inttoptr and no call but intrinsics, heap functions and the modelled C library
    functions (which capture nothing): an address that escaped to memory or to an integer
    cannot come back as a pointer the model does not follow."""
    for b in fn.blocks:
        for i in b.insts:
            if i.opcode == "inttoptr" or i.opcode in ("invoke", "callbr"):
                return False
            if i.opcode == "call":
                callee = i.ops[-1]
                if callee.kind != "global":
                    return False
                if not (callee.name.startswith("llvm.") or callee.name in LIBC
                        or heap_fn_of(i, mod, decl_override) is not None):
                    return False
    return True
