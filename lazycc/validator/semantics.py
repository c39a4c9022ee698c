"""Symbolic semantics of LLVM IR: one handler per opcode, in `HANDLERS`.

Each handler gets the executor, the current node state and the instruction,
returns `(value, non_poison)` (or None for void), and reports undefined
behaviour with `ex.add_ub(st, cond)`.  An opcode (or intrinsic, or flag) with
no handler raises `Unsupported`, which becomes Verdict.UNSUPPORTED: we never
guess a meaning.  Nothing here knows it is part of a refinement query.

Encoding (see docs/validator.md for the full model and its approximations):
- an integer is a bit-vector of its width; i1 is a 1-bit vector;
- a pointer is a 64-bit vector: block id in bits 63..56 (0 = null, 1..127
  non-local: globals, functions, memory reachable from arguments; 128..255 local:
  allocas and heap blocks of this call), offset in bits 55..0;
- memory is two arrays from pointer to 9-bit bytes (bit 8 = not poison):
  `NL` (non-local, initially the shared symbolic `mem0`) and `L` (local,
  initially all poison).  Only NL is compared at return;
- loops: the CFG's DFS back edges are counted; an execution that would take
  more than `unroll` back edges goes to the sink and is excluded;
- calls to non-intrinsics are uninterpreted functions of (callee, arguments,
  the non-local memory they may read), giving result, UB, no-return and new
  memory; equal inputs give equal outputs in src and tgt (Alive2's rule).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable

from lazycc.validator import smt as S
from lazycc.validator import lanes, x86
from lazycc.validator.irmodel import FP_KINDS, Function, Inst, Module, Op, Ty
from lazycc.ir.layout import Layout, split_top

PTRW = 64
OFFW = 56
LIVE_OFF = (1 << 56) - 1   # where a non-local block's liveness is kept (see Exec.nonlocal_alive)
MEM_SORT_IDX = 64
BYTE = 9


class Unsupported(Exception):
    """An instruction, intrinsic, flag or type we do not model."""


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
    from dataclasses import replace
    if d.ret_ty != e.ret_ty or len(d.param_attrs) != len(e.param_attrs):
        raise Unsupported(f"declaration of @{d.name} differs between source and target")

    def both(a: str, b: str) -> str:
        tb = attr_tokens(b)
        return " ".join(t for t in attr_tokens(a) if t in tb)
    return replace(d, attrs=both(d.attrs, e.attrs), defined=d.defined or e.defined,
                   param_attrs=tuple(both(a, b) for a, b in zip(d.param_attrs, e.param_attrs)),
                   ret_attrs=both(d.ret_attrs, e.ret_attrs))


def _check_same_globals(src_mod: Module, tgt_mod: Module, used: set[str] | None,
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
        if a.definition != b.definition:
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
        self.decl_override = _check_same_globals(src_mod, tgt_mod, used, merge_decls) \
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
        # The symbols of undef constants by side (a value built from them is undef-dependent).
        self.undefs: dict[str, list[Any]] = {"src": [], "tgt": []}

    def choice(self, side: str, sym: Any) -> Any:
        self.choices[side][str(sym)] = sym
        return sym

    def _add_global(self, name: str, size: int | None, const: bool) -> None:
        """`size` None: unknown (the shared symbol `blksize(bid)`)."""
        if name in self.gbid:
            # same definition in both modules (_check_same_globals), or a function and a global
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


# ---------------------------------------------------------------- state


@dataclass
class NodeState:
    pc: Any
    env: dict[int, tuple[Any, Any]]
    NL: Any
    L: Any
    alive: dict[int, Any]
    # Loop iteration counters: ((header key, back edges taken), ...) of the loops this
    # execution is inside (zero counts omitted); an unrolled copy of the block (see Unrolling).
    k: tuple
    block_key: int = 0


@dataclass
class TraceEntry:
    inst: Inst
    k: int
    pc: Any
    value: Any
    np: Any


@dataclass
class Encoding:
    """Result of symbolically executing one function."""

    fn: Function
    ub: Any
    returns: Any
    noret: Any
    sink: Any
    ret_val: Any
    ret_np: Any
    mem: Any
    args: list[tuple[Any, Any]]
    trace: list[TraceEntry]
    precondition: Any
    hit_sink: bool
    # executions that end in a call which may unwind or exit: the caller can observe memory there
    escapes: Any = None
    escape_mem: Any = None
    # heap blocks of this call (id -> size), their liveness and local memory at return, and
    # how their addresses may have left the function (Exec.heap_escapes)
    heap_sizes: dict | None = None
    heap_alive: dict | None = None
    heap_mem: Any = None
    heap_escape: frozenset = frozenset()
    heap_align: dict | None = None


def _or(terms: list[Any]) -> Any:
    terms = [t for t in terms if not S.const_false(t)]
    if not terms:
        return S.BoolVal(False)
    return terms[0] if len(terms) == 1 else S.Or(*terms)


def _ite_chain(items: list[tuple[Any, Any]], default: Any) -> Any:
    v = default
    for c, x in reversed(items):
        v = x if S.same(x, v) else S.If(c, x, v)
    return v


def in_blocks(a, bids) -> Any:
    """Address `a` lies in one of the blocks `bids`."""
    b = ptr_bid(a)
    return S.Or(S.BoolVal(False), *[b == bid for bid in bids])


def ptr_bid(p):
    return S.Extract(63, 56, p)


def ptr_off(p):
    return S.Extract(55, 0, p)


def mk_ptr(bid, off56):
    return S.Concat(bid, off56)


def aligned(addr, align: int):
    """`addr` is a multiple of `align` (a power of two)."""
    k = max(align.bit_length() - 1, 0)
    return S.BoolVal(True) if k == 0 else S.Extract(k - 1, 0, addr) == 0


def is_local_bid(b):
    return S.Extract(7, 7, b) == 1


_BIT_CACHE: dict[tuple[int, int], tuple[Any, int | None]] = {}


def known_bit(x, i: int, depth: int = 0) -> int | None:
    """Bit i of bit-vector term x if it is fixed by the term's structure (values, concat,
    extract, zero-extension, if-then-else with equal branches), else None.  No solver and no
    simplifier call: z3's simplify re-traverses the whole term, quadratic on long functions."""
    key = (x.get_id(), i)
    hit = _BIT_CACHE.get(key)
    if hit is not None and hit[0].eq(x):
        return hit[1]
    r = _known_bit(x, i, depth)
    if len(_BIT_CACHE) > 200_000:
        _BIT_CACHE.clear()
    _BIT_CACHE[key] = (x, r)
    return r


def _known_bit(x, i: int, depth: int) -> int | None:
    import z3
    if depth > 200:
        return None
    if z3.is_bv_value(x):
        return (x.as_long() >> i) & 1
    if not z3.is_app(x):
        return None
    k = x.decl().kind()
    if k == z3.Z3_OP_CONCAT:
        pos = 0
        for j in range(x.num_args() - 1, -1, -1):
            a = x.arg(j)
            w = a.size()
            if i < pos + w:
                return known_bit(a, i - pos, depth + 1)
            pos += w
        return None
    if k == z3.Z3_OP_EXTRACT:
        _hi, lo = x.params()
        return known_bit(x.arg(0), lo + i, depth + 1)
    if k == z3.Z3_OP_ZERO_EXT:
        a = x.arg(0)
        return 0 if i >= a.size() else known_bit(a, i, depth + 1)
    if k == z3.Z3_OP_ITE:
        a = known_bit(x.arg(1), i, depth + 1)
        return a if a is not None and a == known_bit(x.arg(2), i, depth + 1) else None
    return None


def known_value(x) -> int | None:
    """The value of a (small) bit-vector term when every bit is fixed structurally."""
    v = 0
    for i in range(x.size()):
        kb = known_bit(x, i)
        if kb is None:
            return None
        v |= kb << i
    return v


def locality(b) -> Any:
    """`is_local_bid(b)` as the literal true/false when the term's structure decides it."""
    kb = known_bit(b, 7)
    if kb is not None:
        return S.BoolVal(kb == 1)
    return S.simplify(is_local_bid(b))


def nonlocal_ptr(v):
    """`v` with the local bit of its block id cleared: for pointers that cannot point into this
    call's allocas in any real execution (call and loop-summary results; pointers loaded from
    memory that cannot hold a local address: local_taint).  Only encodings of states that are
    not real ones change; the syntactic form lets `is_local_bid` simplify to false, so stores
    through such pointers update non-local memory only."""
    return S.Concat(S.BitVecVal(0, 1), S.Extract(62, 0, v))


# ---------------------------------------------------------------- executor


class Exec:
    def __init__(self, fn: Function, mod: Module, shared: Shared, side: str, unroll: int):
        self.fn, self.mod, self.sh, self.side, self.unroll = fn, mod, shared, side, unroll
        self.layout = Layout(mod.struct_types, mod.datalayout)
        self.ub_terms: list[Any] = []
        self.noret_terms: list[Any] = []
        self.escape_terms: list[tuple[Any, Any]] = []   # (condition, non-local memory)
        self.sink_terms: list[Any] = []
        self.rets: list[tuple[Any, Any, Any, Any]] = []
        self.trace: list[TraceEntry] = []
        self.local_sizes: dict[int, int] = {}
        self.next_local = 128
        self.pending: dict[tuple[int, int], list[tuple[Any, NodeState]]] = {}
        # Heap blocks allocated by this call (malloc & co.) are local blocks too (docs/validator.md,
        # "Heap"): ids from 255 down, sizes symbolic, liveness in `alive`; their pointers may
        # escape (returned, stored, converted to integers) where allocas' may not.
        self.heap_sites = heap_sites(fn, mod, shared.decl_override) if shared.heap_model else set()
        self.maybe_local, self.def_local = local_taint(fn, self.heap_sites)
        self.maybe_stack = local_taint(fn)[0] if self.heap_sites else self.maybe_local
        self.heap_sizes: dict[int, Any] = {}     # heap block id -> size (64-bit term)
        self.heap_ok: dict[int, Any] = {}        # heap block id -> the allocation succeeded
        self.heap_escape: set[str] = set()       # how heap addresses leave: "ret", "mem", "int"
        self.next_heap = 255
        self.heap_stored = any(i.opcode == "store" and i.ops[0].kind == "ref" and i.ops[0].key in self.maybe_local
                               and i.ops[0].key not in self.maybe_stack for b in fn.blocks for i in b.insts)
        self.next_thunk_local = 255 - len(self.heap_sites)
        self.ret_states: list[tuple[Any, Any, dict]] = []   # (pc, L, alive) at each return
        self.after_free = after_free(fn, mod, self.maybe_local)   # instructions a freeing call may precede
        self.may_free = bool(self.after_free)
        self.cur_key = None                       # the instruction being executed
        self.args_in: list[tuple[Any, Any]] = []  # the parameters' (value, non-poison), set by run()
        self.nocapture = may_carry_nocapture(fn) if side == "tgt" else set()
        self.nocapture_sure = must_carry_nocapture(fn)
        # Source only (the under-approximation is what the source needs): Alive2 makes a
        # returned `captures(none)` pointer poison, and a function that returns with one in
        # non-local memory has UB; certain carriers, and stores nothing overwrites later.
        self.nocapture_src = must_carry_nocapture(fn, strict=True) if side == "src" else set()
        self.final_stores = final_stores(fn, self.def_local) if self.nocapture_src else set()
        # readonly/readnone/writeonly parameters: an access through a value certainly based on
        # one is UB (both sides; Alive2's NoRead/NoWrite pointers), key -> (no read, no write).
        self.access_must: dict[int, tuple[bool, bool]] = {}
        self.argmem_must: dict[int, tuple[bool, bool]] = {}
        for p in fn.params:
            nr, nw = access_forbidden(p.attrs) if p.ty.kind == "ptr" else (False, False)
            if nr or nw:
                for k in must_based(fn, p.key, mod):
                    a, b = self.access_must.get(k, (False, False))
                    self.access_must[k] = (a or nr, b or nw)
        # The function's own memory(argmem: ...) promise: an access it forbids through a value
        # certainly based on a pointer argument is UB (reading constant memory is no effect).
        ar, aw = argmem_effects(fn.fn_attrs)
        if not (ar and aw):
            for p in fn.params:
                if p.ty.kind == "ptr":
                    for k in must_based(fn, p.key, mod):
                        a, b = self.argmem_must.get(k, (False, False))
                        self.argmem_must[k] = (a or not ar, b or not aw)
        # Set by the refinement check for attributes the target adds: (parameter index,
        # values that may be based on it, no read, no write); an access through one of those
        # values to the parameter's block is UB (the stricter reading).
        self.access_added: list[tuple[int, set[int], bool, bool]] = []
        # the function's own promise not to write memory the caller can see (memory(read)...)
        self.no_nonlocal_writes = not memory_effects(fn.fn_attrs)[1]
        self.starts_dead: set[int] = _lifetime_started(fn)
        # Loops summarised instead of unrolled (header key -> loops.Loop); set by the
        # refinement check for loops that are identical on both sides.
        self.abstract: dict[int, Any] = {}
        self.pre: Any = S.BoolVal(True)
        # Facts about block addresses (true of every real execution): see addr_of.
        self.addr_facts: list[Any] = []
        self.local_align: dict[int, int] = {}
        self._bases: dict[tuple, tuple[Any, Any]] = {}   # block_base memo (facts recorded once)
        self.timeout_ms = 0   # wall ms per query (0: only the deterministic budgets; see smt.budget)
        self.dead_indirect = 0
        self.converted: list[Any] = []   # pointers converted by ptrtoint so far
        # Loops containing the change, paired with a tgt/src loop and replaced by a
        # shared summary whose use is justified by an inductive lockstep proof
        # (header key -> (loops.Loop, pair id)); see lockstep.py.
        self.lockstep: dict[int, tuple[Any, str]] = {}
        self.lock_entries: dict[str, list[NodeState]] = {}
        # Lockstep refinements (docs/validator.md, "Lockstep loops"): with `lock_peel` the
        # first iteration runs normally and the summary starts at the header reached by a
        # back edge; `lock_J[pid]` lists the local blocks (id, size) whose bytes the proof
        # relates by equality across the sides (inputs and outputs of the summary).
        self.lock_peel: set[str] = set()
        self.lock_ub_before: dict[str, list[Any]] = {}
        self.lock_J: dict[str, list[tuple[int, int]]] = {}
        # Set on a throw-away executor that runs ONE iteration of `step_loop`:
        # edges back to its header and out of the loop are recorded, not followed.
        self.step_loop: Any = None
        self.step_back: list[tuple[Any, NodeState]] = []
        self.step_exits: list[tuple[int, Any, NodeState]] = []

    def loops(self):
        """Natural loops of this function with fingerprints (see loops.py)."""
        from lazycc.validator.loops import analyse
        _, back = _dfs_order(self.fn)
        return analyse(self.fn, self.mod, back, self.maybe_local, set(HANDLERS))

    def path_feasible(self, st: NodeState) -> bool:
        """False only if the solver proves that no input reaches `st` (True if unsure)."""
        if S.const_false(st.pc):
            return False
        a = S.check(S.And(self.pre, *self.addr_facts, st.pc), min(self.timeout_ms, 5_000) if self.timeout_ms else 0)
        return a.result is not S.SolverResult.UNSAT

    # -- helpers used by handlers
    def add_ub(self, st: NodeState, cond: Any) -> None:
        if not S.const_false(cond):
            self.ub_terms.append(S.And(st.pc, cond))

    def add_noret(self, st: NodeState, cond: Any, observable: bool = False) -> None:
        """The execution may stop here (`cond`).  `observable`: by unwinding or exiting, after
        which the caller or the process sees non-local memory (an infinite loop is not)."""
        if not S.const_false(cond):
            self.noret_terms.append(S.And(st.pc, cond))
            if observable:
                self.escape_terms.append((S.And(st.pc, cond), st.NL))
            st.pc = S.And(st.pc, S.Not(cond))

    def other_undef(self, v: Any) -> Any:
        """`v` with each undef constant it is built from replaced by a fresh value: another
        member of the set of values an undef-dependent `v` stands for (the same term if it
        depends on none).  The fresh values are the source's choices on the source side."""
        us = self.sh.undefs[self.side]
        if not us:
            return v
        pairs = [(u, self.sh.choice(self.side, self.sh.fresh(f"undef2.{self.side}", u.size()))) for u in us]
        return S.substitute(v, *pairs)

    def operand(self, st: NodeState, op: Op) -> tuple[Any, Any]:
        if op.kind == "ref":
            try:
                return st.env[op.key]
            except KeyError:
                raise Unsupported("use of a value not available on every path") from None
        if op.kind == "lanes":
            return lanes.join([self.operand(st, e) for e in op.elems])
        if lanes.is_multi(op.ty):
            if op.kind not in ("poison", "undef"):
                raise Unsupported(f"constant {op.name or op.kind}")
            return lanes.join([self.operand(st, Op(op.kind, t)) for t in lanes.leaves(op.ty)])
        w = width_of(op.ty)
        if op.kind == "int":
            return S.BitVecVal(op.value, w), S.BoolVal(True)
        if op.kind == "fp":
            return S.BitVecVal(op.value, w), S.BoolVal(True)
        if op.kind == "poison":
            return S.BitVecVal(0, w), S.BoolVal(False)
        if op.kind == "undef":
            # An undef constant: any value, per use.  The target's undef values are sets,
            # resolved after the source's own choices (refine._target_undefs).  First the k-th
            # use of a width is one symbol on both sides (the source's undef taking the target's
            # value is one of its behaviours: sound, and a function refines itself); if that
            # gives a counterexample, the source's undefs are its own choices (`own_choices`,
            # refine.check_pair's re-check).
            k = sum(1 for x in self.sh.undefs[self.side] if x.size() == w)
            side = f"{self.side}." if self.sh.own_choices else ""
            u = self.sh.choice(self.side, S.BitVec(f"undef.{side}{w}.{k}", w))
            self.sh.undefs[self.side].append(u)
            return u, S.BoolVal(True)
        if op.kind == "null":
            return S.BitVecVal(0, PTRW), S.BoolVal(True)
        if op.kind == "global":
            bid = self.sh.gbid.get(op.name)
            if bid is None:
                raise Unsupported(f"reference to @{op.name} (an alias, an intrinsic or an unknown global)")
            return mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(0, OFFW)), S.BoolVal(True)
        if op.kind == "other":
            r = self._const_gep(op.name)
            if r is not None:
                return r
        raise Unsupported(f"constant {op.name}")

    def _const_gep(self, text: str):
        """`ptr getelementptr [inbounds] [nuw] [nusw] (T, ptr @g, iN C, ...)`: a constant offset
        into a global (struct fields and array elements by the module's layout).  With
        `inbounds` it is poison outside [0, size] of @g (symbolic when the size is unknown);
        a negative total offset is refused (we never guess poison for a constant)."""
        m = re.fullmatch(r"ptr getelementptr ((?:inbounds |nuw |nusw )*)\((.*)\)", text.strip())
        if not m:
            return None
        parts = split_top(m.group(2))
        if len(parts) < 3 or not parts[1].startswith("ptr @"):
            return None
        g = parts[1][len("ptr @"):].strip('"')
        bid = self.sh.gbid.get(g)
        if bid is None:
            return None
        idx = []
        for p in parts[2:]:
            im = re.fullmatch(r"(?:inrange\(-?\d+, ?-?\d+\) )?i(\d+) (-?\d+)", p.strip())
            if im is None:
                return None
            idx.append(int(im.group(2)))
        try:
            cur = parts[0].strip()
            off = idx[0] * self.layout.alloc_size(cur)
            for i in idx[1:]:
                if self.layout.is_struct(cur):
                    off += self.layout.field_offset(cur, i)
                    cur = self.layout.field_type(cur, i)
                else:
                    cur, stride = self.layout.element_stride(cur)
                    off += i * stride
        except (ValueError, IndexError):
            return None
        if off < 0 or off >= 1 << OFFW:
            return None
        ptr = mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(off, OFFW))
        if "inbounds" not in m.group(1):
            return ptr, S.BoolVal(True)
        size = self.sh.gsize[g]
        if size is None:
            return ptr, S.ULE(S.BitVecVal(off, 64), self.block_size(S.BitVecVal(bid, 8)))
        return (ptr, S.BoolVal(True)) if off <= size else None

    def block_size(self, b) -> Any:
        """Size in bytes (64-bit) of the block with id `b` (memoised per term and set of allocas)."""
        cache = self.sh.bs_cache
        key = (b.get_id(), tuple(sorted(self.local_sizes.items())),
               tuple((k, v.get_id()) for k, v in sorted(self.heap_sizes.items())))
        hit = cache.get(key)
        if hit is not None and hit[0].eq(b):
            return hit[1]
        r = self._block_size(b)
        cache[key] = (b, r)                  # keeps `b` alive: its id is not reused
        return r

    def _block_size(self, b) -> Any:
        bc = known_value(b)
        if bc is not None:
            if bc == 0:
                return S.BitVecVal(0, 64)
            name = self.sh.gname.get(bc)
            if name is not None and self.sh.gsize[name] is not None:
                return S.BitVecVal(self.sh.gsize[name], 64)
            if bc in self.heap_sizes:
                return self.heap_sizes[bc]
            if bc >= 128:
                return S.BitVecVal(self.local_sizes.get(bc, 0), 64)
            return self.sh.blksize(b)
        items = [(b == 0, S.BitVecVal(0, 64))]
        for name, bid in self.sh.gbid.items():
            if self.sh.gsize[name] is not None:
                items.append((b == bid, S.BitVecVal(self.sh.gsize[name], 64)))
        if S.is_false(locality(b)):
            # syntactically a non-local block: the same term on both sides whatever allocas exist
            return _ite_chain(items, self.sh.blksize(b))
        for bid, size in self.local_sizes.items():
            items.append((b == bid, S.BitVecVal(size, 64)))
        items += [(b == bid, size) for bid, size in self.heap_sizes.items()]
        default = S.If(is_local_bid(b), S.BitVecVal(0, 64), self.sh.blksize(b))
        return _ite_chain(items, default)

    def alive(self, st: NodeState, b) -> Any:
        bc = known_value(b)
        if bc is not None:
            if bc < 128:
                return self.nonlocal_alive(st, b)
            return st.alive.get(bc, S.BoolVal(False))
        if S.is_false(locality(b)):
            return self.nonlocal_alive(st, b)
        items = [(b == bid, a) for bid, a in st.alive.items()]
        return S.If(is_local_bid(b), _ite_chain(items, S.BoolVal(False)), self.nonlocal_alive(st, b))

    def nonlocal_alive(self, st: NodeState, b, force: bool = False) -> Any:
        """Is non-local block `b` still allocated?  Every one is on entry (an argument's or a
        global's memory); a call that may free memory (not `nofree`) may free any block but a
        global.  Liveness lives in non-local memory itself, at offset 2^56-1 of each block
        (no object is that large, so no access reaches it): the block is alive while that
        byte is unchanged since entry.  Calls, loop summaries and merges then carry it like
        any memory, and equal calls free the same blocks on both sides."""
        if not self.may_free or (self.cur_key not in self.after_free and not force):
            return S.BoolVal(True)     # no call that may free can have run yet
        bc = known_value(b)
        if bc is not None and (bc == 0 or bc in self.sh.gname):
            return S.BoolVal(True)     # null is rejected elsewhere; globals are never freed
        at = mk_ptr(b, S.BitVecVal(LIVE_OFF, OFFW))
        self.addr_facts.append(S.ULT(self.block_size(b), S.BitVecVal(LIVE_OFF, 64)))
        still = S.Select(st.NL, at) == S.Select(self.sh.mem0, at)
        globals_ = [b == bid for bid in self.sh.gname]
        return S.Or(still, *globals_) if globals_ else still

    def block_base(self, b) -> Any:
        """The integer address of block `b`: where the program's objects are placed is an input
        (a shared function for non-local blocks; allocas' addresses are each side's own).
        Records what every real placement satisfies: null at 0, no object at 0 or wrapping
        around the address space, declared alignments of globals and allocas."""
        key = (b.get_id(), tuple(sorted(self.local_align.items())), tuple(sorted(self.heap_ok)))
        hit = self._bases.get(key)
        if hit is not None and hit[0].eq(b):
            return hit[1]
        sort8, sort64 = S.BitVecSort(8), S.BitVecSort(64)
        shared = self.sh.uf("blkaddr", sort8, sort64)(b)
        own = self.sh.uf(f"blkaddr.{self.side}", sort8, sort64)(b)
        kb = known_value(b)
        if kb is None:
            base = S.If(is_local_bid(b), own, shared)
        else:
            base = own if kb >= 128 else shared
        size = self.block_size(b)
        # a heap block is placed only if its allocation succeeded (a failed one may be huge)
        placed = S.And(*[S.Implies(b == bid, ok) for bid, ok in self.heap_ok.items()]) \
            if self.heap_ok and (kb is None or kb in self.heap_ok) else S.BoolVal(True)
        self.addr_facts.append(S.Implies(placed, S.If(b == 0, base == 0,
                                                      S.And(base != 0, S.BVAddNoOverflow(base, size, False)))))
        if kb is not None and kb > 0:
            align = self.local_align.get(kb, 1) if kb >= 128 else \
                self.sh.galign.get(self.sh.gname.get(kb, ""), 1)
            if align > 1:
                self.addr_facts.append(S.Implies(placed, aligned(base, align)))
        elif kb is None:  # whichever block it is, that block's declared alignment holds
            known = [*self.local_align.items(),
                     *((bid, self.sh.galign.get(name, 1)) for name, bid in self.sh.gbid.items())]
            self.addr_facts += [S.Implies(b == bid, aligned(base, al)) for bid, al in known if al > 1]
        self._bases[key] = (b, base)         # keeps `b` alive: its id is not reused
        return base

    def addr_of(self, p) -> Any:
        """ptrtoint: the block's address plus the offset."""
        return self.block_base(ptr_bid(p)) + S.ZeroExt(8, ptr_off(p))

    def disjoint(self, p, q, st: NodeState | None = None, lifetimes: bool = False) -> None:
        """Two blocks are the same or do not overlap (a fact of every real placement).  With heap
        blocks (or `lifetimes`: allocas between lifetime markers), only while both are allocated:
        a freed block's address may be reused."""
        bp, bq = ptr_bid(p), ptr_bid(q)
        ap, aq = self.block_base(bp), self.block_base(bq)
        dead = [S.Not(self.alive(st, bp)), S.Not(self.alive(st, bq))] \
            if (self.heap_ok or lifetimes) and st is not None else []
        self.addr_facts.append(S.Or(bp == bq, *dead, S.ULE(ap + self.block_size(bp), aq),
                                    S.ULE(aq + self.block_size(bq), ap)))

    @cached_property
    def escape_ok(self) -> bool:
        """heap_escape_ok of this function (one scan, asked at each escape)."""
        return heap_escape_ok(self.fn, self.mod, self.sh.decl_override)

    def record_return(self, st: NodeState, v: Any, n: Any) -> None:
        """This path returns (v, n): the value, the memory and the blocks alive at the return."""
        self.rets.append((st.pc, v, n, st.NL))
        self.ret_states.append((st.pc, st.L, dict(st.alive)))
        st.pc = S.BoolVal(False)

    def moved(self, p, off) -> Any:
        """Pointer `p` moved by the 64-bit byte offset `off`, wrapping (a GEP without flags)."""
        b = ptr_bid(p)
        new = S.ZeroExt(8, ptr_off(p)) + off
        # The block/offset encoding holds offsets below 2^56: a result outside that range is some
        # pointer, the same function of (base, offset) on both sides.
        wide = self.sh.uf("gep.wide", S.BitVecSort(PTRW), S.BitVecSort(64), S.BitVecSort(PTRW))(p, off)
        if S.is_false(locality(b)):
            wide = nonlocal_ptr(wide)   # keeps the base's (non-local) provenance: never an alloca
        if not S.is_true((new >> OFFW) == 0):
            # whatever pointer stands for it, its address is the base's plus the offset (wrapping)
            self.addr_facts.append(S.Implies((new >> OFFW) != 0, self.addr_of(wide) == self.addr_of(p) + off))
        return S.If((new >> OFFW) == 0, mk_ptr(b, S.Extract(OFFW - 1, 0, new)), wide)

    def param_access(self, st: NodeState, op: Op, p, write: bool, when: Any = True) -> None:
        """UB of reading/writing through `op` (pointer value `p`; an access if `when`) that a
        readonly/readnone/writeonly parameter forbids."""
        if op.kind != "ref":
            return
        nr, nw = self.access_must.get(op.key, (False, False))
        if (nw if write else nr):
            self.add_ub(st, S.And(when, True))
        nr, nw = self.argmem_must.get(op.key, (False, False))
        if (nw if write else nr):
            b = ptr_bid(p)
            self.add_ub(st, S.And(when, *([] if write else [b != c for c in self.sh.const_bids])))
        for i, may, nr, nw in self.access_added:
            if op.key in may and (nw if write else nr):
                self.add_ub(st, S.And(when, ptr_bid(p) == ptr_bid(self.args_in[i][0])))

    def check_access(self, st: NodeState, p, pnp, n: int, align: int, write: bool) -> None:
        b = ptr_bid(p)
        o = S.ZeroExt(8, ptr_off(p))
        bad = [S.Not(pnp), b == 0, S.ULT(self.block_size(b), o + n), S.Not(self.alive(st, b))]
        if align > 1:
            bad.append(S.Not(aligned(self.addr_of(p), align)))
        if write:
            bad += self.write_bad(b)
        self.add_ub(st, S.Or(*bad))

    def write_bad(self, b) -> list[Any]:
        """Why a write to block `b` may be UB: a constant global, memory that may be read-only,
        non-local memory in a function that promised not to write it."""
        bad = [b == bid for bid in self.sh.const_bids]
        bad.append(S.Not(self.writable(b)))
        if self.no_nonlocal_writes:
            bad.append(S.Not(is_local_bid(b)))   # breaks the function's memory(read) promise
        return bad

    def writable(self, b) -> Any:
        """May block `b` be written?  Allocas and non-constant globals yes; other non-local
        memory (reached through arguments, call results...) may be read-only: a shared
        unknown `writable(b)`, true for `writable` parameters.  A source store proves it (a
        store there is otherwise UB), so a target may not introduce a store to memory the
        source only read (LangRef: a spurious store may trap)."""
        if S.is_true(locality(b)):
            return S.BoolVal(True)
        ok = [b == bid for name, bid in self.sh.gbid.items() if not self.sh.gconst.get(name)]
        return S.Or(is_local_bid(b), *ok, self.sh.uf("writable", S.BitVecSort(8), S.BoolSort())(b))

    def heap_escapes(self, ins: Inst, how: str) -> None:
        """A heap address leaves the function: returned ("ret"), stored to memory that may be
        non-local ("mem") or converted to an integer ("int").  The caller may then use the
        block, so heap blocks are compared at return (refine.py).  Stored or converted, it could
        also reach a later call or come back through inttoptr, which this model does not follow
        (calls see non-local memory only, inttoptr gives non-local pointers): refused unless the
        function has neither (heap_escape_ok)."""
        if how != "ret" and not self.escape_ok:
            raise Unsupported(f"{ins.text} (a heap address escapes in a function with calls or inttoptr)")
        self.heap_escape.add(how)

    def load_bytes(self, st: NodeState, p, n: int) -> list[Any]:
        b = ptr_bid(p)
        loc = locality(b)
        out = []
        for i in range(n):
            a = mk_ptr(b, ptr_off(p) + i) if i else p
            if S.is_true(loc):
                out.append(S.select(st.L, a))
            elif S.is_false(loc):
                out.append(S.select(st.NL, a))
            else:
                out.append(S.If(loc, S.select(st.L, a), S.select(st.NL, a)))
        return out

    def store_bytes(self, st: NodeState, p, data: list[Any]) -> None:
        b = ptr_bid(p)
        loc = locality(b)
        for i, byte in enumerate(data):
            a = mk_ptr(b, ptr_off(p) + i) if i else p
            if S.is_true(loc):
                st.L = S.Store(st.L, a, byte)
            elif S.is_false(loc):
                st.NL = S.Store(st.NL, a, byte)
            else:
                st.L = S.If(loc, S.Store(st.L, a, byte), st.L)
                st.NL = S.If(loc, st.NL, S.Store(st.NL, a, byte))

    def _noalias_assumptions(self) -> list[Any]:
        """Each `noalias` pointer parameter has a block of its own: no other parameter and no
        global points into it (then its UB, which we do not model, cannot occur)."""
        ptrs = [(i, p) for i, p in enumerate(self.fn.params) if p.ty.kind == "ptr"]
        out = []
        for i, p in ptrs:
            if "noalias" not in attr_tokens(p.attrs):
                continue
            b = ptr_bid(self.sh.args[(i, str(p.ty))][0])
            out += [b != ptr_bid(self.sh.args[(j, str(q.ty))][0]) for j, q in ptrs if j != i]
            out += [b != S.BitVecVal(g, 8) for g in self.sh.gbid.values()]
        return out

    def type_text(self, s: str) -> str:
        return s

    # -- main loop
    def run(self) -> Encoding:
        fn = self.fn
        args = []
        pre = []
        # Parameter attributes are the callers' obligations: the source's restrict the inputs of
        # both sides (preconditions); a target's that the source lacks are UB on entry when
        # violated (a caller that did not promise them now has UB), so a target may add them
        # only where the source is UB or the inputs already satisfy them.
        promises = pre if self.side == "src" else []
        for i, p in enumerate(fn.params):
            w = width_of(p.ty)
            key = (i, str(p.ty))
            if key not in self.sh.args:
                v = S.BitVec(f"arg{i}_{p.name or i}", w)
                # a vector's lanes are poison one by one (lanes.py)
                np_ = S.BitVec(f"arg{i}_np", lanes.np_width(p.ty)) if lanes.is_multi(p.ty) else S.Bool(f"arg{i}_np")
                self.sh.args[key] = (v, np_)
            v, np_ = self.sh.args[key]
            np_ = param_attrs(self, p, v, np_, promises)  # noundef/range/nonnull/align (handlers' section)
            args.append((v, np_))
            if p.ty.kind == "ptr" and "writable" in attr_tokens(p.attrs):
                promises.append(S.Implies(np_, self.writable(ptr_bid(v))))
            if p.ty.kind == "agg" and any(t.kind == "ptr" for t in lanes.leaves(p.ty)):
                ls = lanes.split(v, args[-1][1], p.ty)
                pre += [S.Not(is_local_bid(ptr_bid(lv))) for (lv, _), t in zip(ls, lanes.leaves(p.ty))
                        if t.kind == "ptr"]
                args[-1] = (lanes.join([(nonlocal_ptr(lv) if t.kind == "ptr" else lv, ln)
                                        for (lv, ln), t in zip(ls, lanes.leaves(p.ty))])[0], args[-1][1])
            if p.ty.kind == "ptr":
                # An argument cannot point into this call's allocas (the precondition is
                # on the shared symbol; under it nonlocal_ptr(v) == v, and its syntactic
                # form lets accesses through it go to non-local memory only).
                pre.append(S.Not(is_local_bid(ptr_bid(v))))
                args[-1] = (nonlocal_ptr(v), args[-1][1])
        if self.sh.assume_noalias and self.side == "src":
            pre += self._noalias_assumptions()
        entry = fn.blocks[0]
        self.args_in = args
        self.pre = S.And(*pre) if pre else S.BoolVal(True)
        env = {p.key: a for p, a in zip(fn.params, args)}
        init = NodeState(S.BoolVal(True), env, self.sh.mem0,
                         S.K(S.BitVecSort(PTRW), S.BitVecVal(0, BYTE)), {}, (), entry.key)
        if promises is not pre and promises:
            self.add_ub(init, S.Not(S.And(*promises)))
        self.unrolling = Unrolling(fn, self.unroll)
        self.back = self.unrolling.back
        self.pending[(entry.key, ())] = [(S.BoolVal(True), init)]
        for bkey, k in self.unrolling.schedule([(entry.key, ())]):
            inc = self.pending.pop((bkey, k), None)
            if inc:
                self._run_block(fn.block(bkey), k, inc)
        ret_val = ret_np = None
        if fn.ret_ty.kind != "void" and self.rets:
            ret_val = _ite_chain([(c, v) for c, v, _, _ in self.rets[:-1]], self.rets[-1][1])
            ret_np = _ite_chain([(c, n) for c, _, n, _ in self.rets[:-1]], self.rets[-1][2])
        mem = (_ite_chain([(c, m) for c, _, _, m in self.rets[:-1]], self.rets[-1][3])
               if self.rets else self.sh.mem0)
        esc = self.escape_terms
        escape_mem = _ite_chain([(c, m) for c, m in esc[:-1]], esc[-1][1]) if esc else None
        heap_alive, heap_mem = {}, None
        if self.heap_sizes and self.ret_states:
            rs = self.ret_states
            heap_mem = _ite_chain([(c, m) for c, m, _ in rs[:-1]], rs[-1][1])
            for bid in self.heap_sizes:
                heap_alive[bid] = _ite_chain([(c, a.get(bid, S.BoolVal(False))) for c, _, a in rs[:-1]],
                                             rs[-1][2].get(bid, S.BoolVal(False)))
        return Encoding(fn, _or(self.ub_terms), _or([c for c, *_ in self.rets]), _or(self.noret_terms),
                        _or(self.sink_terms), ret_val, ret_np, mem, args, self.trace,
                        S.And(*pre, *self.addr_facts), bool(self.sink_terms),
                        _or([c for c, _ in esc]), escape_mem, dict(self.heap_sizes), heap_alive, heap_mem,
                        frozenset(self.heap_escape), {b: self.local_align[b] for b in self.heap_sizes})

    def _summarise_loop(self, st: NodeState, lp) -> None:
        """Replace a loop identical on both sides by an uninterpreted summary.

        Inputs: the header phis' entry values, every outside value the loop uses
        (value and non-poison bit) and the non-local memory.  Outputs, all
        uninterpreted functions of the inputs named by the loop's fingerprint
        (so the src and tgt copies share them): UB, no-return, the new non-local
        memory, which exit edge is taken and the value of every loop value used
        after the loop.  Local memory is untouched (an eligible loop has no
        operand that may point into it).  Soundness: docs/validator.md.
        """
        vals, sorts = [], []
        for key in [p.key for p in lp.header_phis] + list(lp.inputs):
            try:
                v, n = st.env[key]
            except KeyError:
                raise Unsupported("loop input not available on every path") from None
            vals += [v, n]
            sorts += [v.sort(), S.BoolSort()]
        vals.append(st.NL)
        sorts.append(S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))
        name = f"loop.{lp.fingerprint}"
        self.add_ub(st, self.sh.uf(f"{name}.ub", *sorts, S.BoolSort())(*vals))
        if not lp.exits:
            self.add_noret(st, S.BoolVal(True))
            return
        self.add_noret(st, self.sh.uf(f"{name}.noret", *sorts, S.BoolSort())(*vals))
        st.NL = self.sh.uf(f"{name}.mem", *sorts, S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))(*vals)
        self._summary_exits(st, lp, name, sorts, vals)

    def _summary_exits(self, st: NodeState, lp, name: str, sorts, vals) -> None:
        """Loop outputs as functions of the summary's inputs, then leave by one of its exits."""
        for i, o in enumerate(lp.outputs):
            w = width_of(o.ty)
            v = self.sh.uf(f"{name}.out{i}", *sorts, S.BitVecSort(w))(*vals)
            if o.ty.kind == "ptr":
                v = nonlocal_ptr(v)
            n = self.sh.uf(f"{name}.np{i}", *sorts, S.BoolSort())(*vals)
            st.env[o.key] = (v, n)
            self.trace.append(TraceEntry(o, st.k, st.pc, v, n))
        n = len(lp.exits)
        sel = self.sh.uf(f"{name}.exit", *sorts, S.BitVecSort(16))(*vals) if n > 1 else None
        for i, (exiting, target) in enumerate(lp.exits):
            if n == 1:
                cond = S.BoolVal(True)
            elif i < n - 1:
                cond = sel == i
            else:
                cond = S.And(*[sel != j for j in range(n - 1)])
            self.goto(NodeState(st.pc, st.env, st.NL, st.L, st.alive, st.k, exiting), target, cond)
        st.pc = S.BoolVal(False)

    def _lockstep_summarise(self, st: NodeState, lp, pid: str) -> None:
        """Replace a paired (changed) loop by the summary shared with the other side.

        Inputs are only the header phis' entry values and the non-local memory:
        the loop is top-level, so it is entered at most once per execution and
        everything else it reads (SSA inputs) is fixed by the execution's context.
        The entry state is recorded for the lockstep proof (lockstep.py), which
        must succeed before a verdict computed with this summary is used.
        Outputs: UB, no-return, new non-local memory, exit edge and the loop
        values used after the loop (shared by position with the other side);
        local memory is havocked (fresh per side); block liveness is kept (the
        proof shows every iteration leaves it as it was at the entry).
        Soundness: docs/validator.md, "Lockstep loops".
        """
        self.lock_entries.setdefault(pid, []).append(
            NodeState(st.pc, dict(st.env), st.NL, st.L, dict(st.alive), st.k, st.block_key))
        # UB of this side up to the entry (every UB term recorded so far lies on a path that
        # reaches this point earlier or on another path): the step may assume no src UB there
        self.lock_ub_before.setdefault(pid, []).append(_or(list(self.ub_terms)))
        vals, sorts = [], []
        for p in lp.header_phis:
            v, n = st.env[p.key]
            vals += [v, n]
            sorts += [v.sort(), S.BoolSort()]
        vals.append(st.NL)
        sorts.append(S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))
        if self.lock_peel and pid not in self.lock_J:
            # candidate related blocks: those allocated before the loop (the first side to get
            # here decides; the proof drops blocks that differ and the check is redone)
            J, tot = [], 0
            for b in sorted(st.alive):
                n = self.local_sizes.get(b, 0)
                if 0 < n and tot + n <= 256:
                    J.append((b, n))
                    tot += n
            self.lock_J[pid] = J
        J = self.lock_J.get(pid, [])
        for bid, size in J:               # related local bytes are inputs too
            for off in range(size):
                vals.append(S.select(st.L, mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(off, OFFW))))
                sorts.append(S.BitVecSort(BYTE))
        name = f"lockstep.{pid}"
        self.add_ub(st, self.sh.uf(f"{name}.ub", *sorts, S.BoolSort())(*vals))
        if not lp.exits:
            self.add_noret(st, S.BoolVal(True))
            return
        self.add_noret(st, self.sh.uf(f"{name}.noret", *sorts, S.BoolSort())(*vals))
        st.NL = self.sh.uf(f"{name}.mem", *sorts, S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))(*vals)
        n_ent = len(self.lock_entries[pid])
        fresh = S.Array(f"{name}.L.{self.side}.{n_ent}", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
        if J:
            # related blocks: a shared function of the inputs; other local bytes: havoc
            Lout = self.sh.uf(f"{name}.Lrel", *sorts, S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))(*vals)
            a = S.BitVec(f"{name}.La", PTRW)
            st.L = S.Lambda([a], S.If(in_blocks(a, [b for b, _ in J]), S.Select(Lout, a), S.Select(fresh, a)))
        else:
            st.L = fresh
        # block liveness is unchanged: the lockstep proof shows it is loop-invariant
        self._summary_exits(st, lp, name, sorts, vals)

    def run_step(self, lp, st: NodeState) -> None:
        """Execute ONE iteration of loop `lp` from its header in state `st` (header
        phis already in `st.env`).  Results: `step_back`, `step_exits`, `ub_terms`,
        `noret_terms`, `sink_terms` (inner loops cut by the bound)."""
        self.step_loop = lp
        self.unrolling = Unrolling(self.fn, self.unroll)
        self.back = self.unrolling.back
        self._exec_insts(self.fn.block(lp.header), st, st.k)
        starts = [(t, k2) for t in self.unrolling.succ[lp.header] if t in lp.blocks and t != lp.header
                  for k2 in [self.unrolling.step(st.k, lp.header, t)] if k2 is not None]
        for bkey, k in self.unrolling.schedule(starts, within=set(lp.blocks), stop_at=lp.header):
            inc = self.pending.pop((bkey, k), None)
            if inc:
                self._run_block(self.fn.block(bkey), k, inc)
        if self.pending or self.rets:
            raise Unsupported("lockstep: execution left the loop body")

    def goto(self, st: NodeState, target: int, cond: Any) -> None:
        if S.const_false(cond):
            return
        pc = S.And(st.pc, cond) if not S.const_true(cond) else st.pc
        if self.step_loop is not None:
            lp = self.step_loop
            if target == lp.header:
                self.step_back.append((pc, st))
                return
            if target not in lp.blocks:
                self.step_exits.append((lp.exits.index((st.block_key, target)), pc, st))
                return
        k = self.unrolling.step(st.k, st.block_key, target)
        if k is None:
            self.sink_terms.append(pc)
            return
        self.pending.setdefault((target, k), []).append((pc, st))

    def _run_block(self, blk, k: int, inc: list[tuple[Any, NodeState]], peeled: bool = False) -> None:
        S.spend_steps(len(blk.insts))
        ls = self.lockstep.get(blk.key)
        if ls is not None and ls[1] in self.lock_peel and not peeled:
            # peel: arrivals from outside the loop run the first iteration normally;
            # arrivals by a back edge enter the shared summary
            outside = [(c, s) for c, s in inc if s.block_key not in ls[0].blocks]
            inside = [(c, s) for c, s in inc if s.block_key in ls[0].blocks]
            if outside:
                self._run_block(blk, k, outside, peeled=True)
            if not inside:
                return
            inc = inside
        # Merge incoming states with if-then-else over their path conditions.
        pcs = [c for c, _ in inc]
        pc = pcs[0] if len(pcs) == 1 else S.Or(*pcs)
        states = [s for _, s in inc]
        if len(inc) == 1:
            base = states[0]
            env = dict(base.env)
            NL, L, alive = base.NL, base.L, dict(base.alive)
        else:
            keys = set(states[0].env)
            for s in states[1:]:
                keys &= set(s.env)
            env = {}
            for kk in keys:
                vals = [s.env[kk] for s in states]
                if all(S.same(vals[0][0], v[0]) and S.same(vals[0][1], v[1]) for v in vals[1:]):
                    env[kk] = vals[0]
                else:
                    env[kk] = (_ite_chain(list(zip(pcs[:-1], [v[0] for v in vals[:-1]])), vals[-1][0]),
                               _ite_chain(list(zip(pcs[:-1], [v[1] for v in vals[:-1]])), vals[-1][1]))
            NL = _ite_chain(list(zip(pcs[:-1], [s.NL for s in states[:-1]])), states[-1].NL)
            L = _ite_chain(list(zip(pcs[:-1], [s.L for s in states[:-1]])), states[-1].L)
            alive = {}
            for bid in set().union(*[s.alive for s in states]):
                vals = [s.alive.get(bid, S.BoolVal(False)) for s in states]
                alive[bid] = _ite_chain(list(zip(pcs[:-1], vals[:-1])), vals[-1])
        # Phis read the incoming edge's values, all "at once".
        phis = {}
        for ins in blk.insts:
            if ins.opcode != "phi":
                break
            if self.side == "tgt" and _flags(ins) & _FAST_MATH:
                raise Unsupported(ins.text + " (fast-math flags)")
            items = []
            for c, s in inc:
                try:
                    i = ins.incoming.index(s.block_key)
                except ValueError:
                    raise Unsupported("phi without an entry for a predecessor") from None
                items.append((c, self.operand(s, ins.ops[i])))
            v = _ite_chain([(c, x[0]) for c, x in items[:-1]], items[-1][1][0])
            n = _ite_chain([(c, x[1]) for c, x in items[:-1]], items[-1][1][1])
            phis[ins.key] = (v, n)
            self.trace.append(TraceEntry(ins, k, pc, v, n))
        env.update(phis)
        st = NodeState(pc, env, NL, L, alive, k, blk.key)
        ls = self.lockstep.get(blk.key)
        if ls is not None and not peeled:
            self._lockstep_summarise(st, *ls)
            return
        lp = self.abstract.get(blk.key)
        if lp is not None:
            self._summarise_loop(st, lp)
            return
        self._exec_insts(blk, st, k)

    def _exec_insts(self, blk, st: NodeState, k: int) -> None:
        for ins in blk.insts:
            if ins.opcode == "phi":
                continue
            self.cur_key = ins.key
            h = lane_handler(ins) if touches_lanes(ins) else HANDLERS.get(ins.opcode)
            if h is None:
                raise Unsupported(ins.text)
            r = h(self, st, ins)
            if r is not None:
                st.env[ins.key] = r
                self.trace.append(TraceEntry(ins, k, st.pc, r[0], r[1]))
            if S.const_false(st.pc):
                return


def _dfs_order(fn: Function) -> tuple[list[int], set[tuple[int, int]]]:
    """Reverse post-order of the CFG and its DFS back (retreating) edges."""
    succ = {b.key: [o.key for o in b.term.ops if o.kind == "block"] for b in fn.blocks}
    seen, onstack, post, back = set(), set(), [], set()

    def visit(u: int) -> None:
        stack = [(u, iter(succ[u]))]
        seen.add(u)
        onstack.add(u)
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                onstack.discard(node)
                post.append(node)
                continue
            if nxt in onstack:
                back.add((node, nxt))
            elif nxt not in seen:
                seen.add(nxt)
                onstack.add(nxt)
                stack.append((nxt, iter(succ[nxt])))

    visit(fn.blocks[0].key)
    return list(reversed(post)), back


class Unrolling:
    """Alive2's per-loop unrolling (`-src-unroll=K -tgt-unroll=K`), without copying blocks.

    Each loop (a DFS back edge's header with the blocks that reach the edge's source without
    passing the header) has its own counter of back edges taken since the loop was entered;
    the counter is dropped when the execution leaves the loop, so an inner loop counts anew on
    every outer iteration.  A back edge that would take a loop's counter past K goes to the
    sink.  The copies (block, counters) form a DAG (every CFG cycle crosses a back edge whose
    counter it never drops), executed in a topological order."""

    def __init__(self, fn: Function, unroll: int):
        self.order, self.back = _dfs_order(fn)
        self.unroll = unroll
        self.pos = {b: i for i, b in enumerate(self.order)}
        from lazycc.validator.loops import loop_bodies, predecessors
        self.succ = {b.key: [o.key for o in b.term.ops if o.kind == "block"] for b in fn.blocks}
        self.body = loop_bodies(self.back, predecessors(fn))

    def step(self, k: tuple, u: int, t: int) -> tuple | None:
        """Counters after the edge u -> t, or None if the edge exceeds the bound (sink)."""
        c = {h: n for h, n in k if t in self.body[h]}
        if (u, t) in self.back:
            c[t] = c.get(t, 0) + 1
            if c[t] > self.unroll:
                return None
        return tuple(sorted(c.items(), key=lambda hn: self.pos.get(hn[0], 0)))

    def schedule(self, starts: list[tuple[int, tuple]], within: set[int] | None = None,
                 stop_at: int | None = None) -> list[tuple[int, tuple]]:
        """The copies reachable from `starts`, in a topological order (ties: reverse post-order).
        `within`: blocks to stay in; `stop_at`: a block whose incoming edges are not followed."""
        import heapq
        nodes, edges, indeg = set(starts), {}, {n: 0 for n in starts}
        work = list(starts)
        while work:
            n = work.pop()
            b, k = n
            out = []
            for t in self.succ[b]:
                if t == stop_at or (within is not None and t not in within):
                    continue
                k2 = self.step(k, b, t)
                if k2 is None:
                    continue
                m = (t, k2)
                out.append(m)
                indeg[m] = indeg.get(m, 0) + 1
                if m not in nodes:
                    nodes.add(m)
                    work.append(m)
            edges[n] = out
        key = (lambda n: (self.pos.get(n[0], 0), n[1]))
        heap = [(key(n), n) for n in nodes if indeg.get(n, 0) == 0]
        heapq.heapify(heap)
        out_order = []
        while heap:
            _, n = heapq.heappop(heap)
            out_order.append(n)
            for m in edges.get(n, []):
                indeg[m] -= 1
                if indeg[m] == 0:
                    heapq.heappush(heap, (key(m), m))
        return out_order


def width_of(t: Ty) -> int:
    if t.kind in ("int", "vec", "agg") or t.kind in FP_KINDS:
        return t.width or 1     # an empty aggregate: one constant bit (lanes.join)
    if t.kind == "ptr":
        return PTRW
    if t.kind == "void":
        return 1
    raise Unsupported(f"type {t.text}")


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


def _no_capture(attrs: str) -> bool:
    """A parameter whose provenance the function promises not to capture (escape to memory
    the caller can see, or to an integer): `nocapture`, `captures(none)`, `captures(address...)`."""
    toks = attr_tokens(attrs)
    if "nocapture" in toks:
        return True
    caps = [t for t in toks if t.startswith("captures(")]
    return any("provenance" not in t for t in caps)


def may_carry_nocapture(fn: Function) -> set[int]:
    """Values that may carry the provenance of a `captures(none)` parameter (may_carry).
    Only the target uses it (refine needs the target's UB over-approximated): storing such a
    value to memory that may be non-local, or ptrtoint of it, is UB there; returning it, poison
    (Alive2 checks the memory at return; we check the store)."""
    return may_carry(fn, {p.key for p in fn.params if p.ty.kind == "ptr" and _no_capture(p.attrs)})


def may_carry(fn: Function, seed: set[int]) -> set[int]:
    """Values that may carry the provenance of the values `seed` (a syntactic
    over-approximation: pointer arithmetic, select/phi/freeze, loads once such a value was
    stored anywhere, call results once one was passed, inttoptr once one was converted)."""
    if not seed:
        return set()
    s = set(seed)
    insts = [i for b in fn.blocks for i in b.insts]
    changed = True
    while changed:
        changed = False
        stored = any(i.opcode == "store" and i.ops[0].kind == "ref" and i.ops[0].key in s for i in insts)
        converted = any(i.opcode == "ptrtoint" and i.ops[0].kind == "ref" and i.ops[0].key in s for i in insts)
        for i in insts:
            if i.key in s:
                continue
            refs = {o.key for o in i.ops if o.kind == "ref"}
            hit = bool(refs & s)
            if i.opcode in ("getelementptr", "bitcast", "addrspacecast", "freeze", "select", "phi", "call",
                            "invoke", "extractvalue", "insertvalue", "ptrmask"):
                take = hit
            elif i.opcode == "load":
                take = stored
            elif i.opcode == "inttoptr":
                take = converted
            else:
                take = False
            if take and i.ty.kind in ("ptr", "agg", "other"):
                s.add(i.key)
                changed = True
    return s


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
    from lazycc.validator.irmodel import expand_attrs
    tail = ins.text[ins.text.rfind(")"):] if callee is None or callee.kind != "global" else _call_parts(ins)[1]
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


# Parameter attributes that forbid accesses through the parameter (LangRef): (no read, no write).
_ACCESS_ATTRS = {"readnone": (True, True), "readonly": (False, True), "writeonly": (True, False)}


def access_forbidden(attrs: str) -> tuple[bool, bool]:
    """(reads, writes) through a parameter that its attributes forbid."""
    r = w = False
    for t in attr_tokens(attrs):
        nr, nw = _ACCESS_ATTRS.get(t, (False, False))
        r, w = r or nr, w or nw
    return r, w


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
                    if ret and o.kind == "ref" and o.key in s and _returned_arg_ok(i, n):
                        s.add(i.key)
    return s


def _captures_nothing(attrs: str) -> bool:
    """`nocapture` / `captures(none)`: no part of the pointer may escape (Alive2's NoCapture;
    `captures(address)` still lets the address out)."""
    toks = attr_tokens(attrs)
    return "nocapture" in toks or "captures(none)" in toks


def must_carry_nocapture(fn: Function, strict: bool = False) -> set[int]:
    """Values that certainly carry a `captures(none)` parameter's provenance: the parameter and
    GEPs/casts of it.  ptrtoint of one is UB on either side (Alive2: an escaping ptrtoint of a
    nocapture pointer), exactly, so the source may rely on it.  `strict`: of parameters that
    capture nothing at all (nocapture, captures(none))."""
    ok = _captures_nothing if strict else _no_capture
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
_QUIET_INTRINSICS = ("llvm.dbg.", "llvm.assume", "llvm.lifetime.", "llvm.experimental.noalias.scope.decl",
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
            return bool(i.ops) and i.ops[-1].kind == "global" and i.ops[-1].name.startswith(_QUIET_INTRINSICS)
        return i.opcode in _QUIET_OPS

    _, back = _dfs_order(fn)
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


def _lifetime_started(fn: Function) -> set[int]:
    keys = set()
    for b in fn.blocks:
        for i in b.insts:
            if i.opcode == "call" and "@llvm.lifetime.start" in i.text:
                for o in i.ops:
                    if o.kind == "ref":
                        keys.add(o.key)
    return keys


# ---------------------------------------------------------------- handlers

HANDLERS: dict[str, Callable[[Exec, NodeState, Inst], Any]] = {}


def handler(*opcodes: str):
    def deco(f):
        for o in opcodes:
            HANDLERS[o] = f
        return f
    return deco


def _flags(ins: Inst) -> set[str]:
    rhs = ins.text.split("=", 1)[1] if "=" in ins.text.split("(")[0] else ins.text
    toks = rhs.replace(",", " ").split()
    return set(toks[1:6])


def _true():
    return S.BoolVal(True)


@handler("add", "sub", "mul", "and", "or", "xor", "shl", "lshr", "ashr")
def h_binop(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    fl = _flags(ins)
    np_ = S.And(an, bn)
    op = ins.opcode
    extra = []
    if op == "add":
        v = a + b
        if "nsw" in fl:
            extra.append(S.SignExt(1, a) + S.SignExt(1, b) == S.SignExt(1, v))
        if "nuw" in fl:
            extra.append(S.Extract(w, w, S.ZeroExt(1, a) + S.ZeroExt(1, b)) == 0)
    elif op == "sub":
        v = a - b
        if "nsw" in fl:
            extra.append(S.SignExt(1, a) - S.SignExt(1, b) == S.SignExt(1, v))
        if "nuw" in fl:
            extra.append(S.UGE(a, b))
    elif op == "mul":
        v = a * b
        if "nsw" in fl:
            extra.append(S.SignExt(w, a) * S.SignExt(w, b) == S.SignExt(w, v))
        if "nuw" in fl:
            extra.append(S.ZeroExt(w, a) * S.ZeroExt(w, b) == S.ZeroExt(w, v))
    elif op == "and":
        v = a & b
    elif op == "or":
        v = a | b
        if "disjoint" in fl:
            extra.append(a & b == 0)
    elif op == "xor":
        v = a ^ b
    else:
        extra.append(S.ULT(b, w))
        if op == "shl":
            v = a << b
            if "nsw" in fl:
                extra.append((v >> b) == a)
            if "nuw" in fl:
                extra.append(S.LShR(v, b) == a)
        elif op == "lshr":
            v = S.LShR(a, b)
            if "exact" in fl:
                extra.append((v << b) == a)
        else:
            v = a >> b
            if "exact" in fl:
                extra.append((v << b) == a)
    if extra:
        np_ = S.And(np_, *extra)
    return v, np_


@handler("udiv", "sdiv", "urem", "srem")
def h_div(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    signed = ins.opcode[0] == "s"
    ub = [S.Not(bn), b == 0]
    intmin = S.BitVecVal(1 << (w - 1), w)
    if signed:
        ub.append(S.And(S.Not(an), b == -1) if False else S.And(a == intmin, b == S.BitVecVal(-1 % (1 << w), w)))
        # A poison dividend with divisor -1 may be INT_MIN: UB (LLVM LangRef).
        ub.append(S.And(S.Not(an), b == S.BitVecVal((1 << w) - 1, w)))
    ex.add_ub(st, S.Or(*ub))
    op = ins.opcode
    if op == "udiv":
        v = S.UDiv(a, b)
    elif op == "urem":
        v = S.URem(a, b)
    elif op == "sdiv":
        v = a / b
    else:
        v = S.SRem(a, b)
    np_ = an
    if "exact" in _flags(ins):
        r = S.URem(a, b) if op == "udiv" else S.SRem(a, b)
        np_ = S.And(np_, r == 0)
    return v, np_


_ICMP = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
    "ugt": S.UGT, "uge": S.UGE, "ult": S.ULT, "ule": S.ULE,
    "sgt": lambda a, b: a > b, "sge": lambda a, b: a >= b,
    "slt": lambda a, b: a < b, "sle": lambda a, b: a <= b,
}


def _b2bv(c):
    return S.If(c, S.BitVecVal(1, 1), S.BitVecVal(0, 1))


@handler("icmp")
def h_icmp(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int" or ins.ops[0].ty.kind not in ("int", "ptr"):
        raise Unsupported(ins.text)
    fl = _flags(ins)
    pred = next((p for p in _ICMP if p in fl), None)
    if pred is None:
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    np_ = S.And(an, bn)
    if ins.ops[0].ty.kind == "ptr":
        # Pointers compare as addresses: blocks are placed anywhere (disjointly), so an order
        # between objects or a one-past-the-end pointer equal to another object is possible.
        if not S.same(a, b):
            ex.disjoint(a, b, st)
            a, b = ex.addr_of(a), ex.addr_of(b)
    if "samesign" in fl:
        w = width_of(ins.ops[0].ty)
        np_ = S.And(np_, S.Extract(w - 1, w - 1, a) == S.Extract(w - 1, w - 1, b))
    return _b2bv(_ICMP[pred](a, b)), np_


@handler("select")
def h_select(ex: Exec, st: NodeState, ins: Inst):
    if ins.ops[0].ty.kind != "int" or not (ins.ty.kind in ("int", "ptr") or ins.ty.kind in FP_KINDS):
        raise Unsupported(ins.text)
    if ex.side == "tgt" and _flags(ins) & _FAST_MATH:
        raise Unsupported(ins.text + " (fast-math flags)")
    (c, cn), (a, an), (b, bn) = (ex.operand(st, o) for o in ins.ops[:3])
    cond = c == 1
    return S.If(cond, a, b), S.And(cn, S.If(cond, an, bn))


@handler("freeze")
def h_freeze(ex: Exec, st: NodeState, ins: Inst):
    v, n = ex.operand(st, ins.ops[0])
    # tgt: one symbol per dynamic execution (name, layer) -- every tgt choice;
    # src: the same name, i.e. one particular src choice (sound, see docs).
    copy = ",".join(f"{ex.fn.block(h).name}:{n}" for h, n in st.k)   # the unrolled copy, by block names
    sym = ex.sh.choice(ex.side, S.BitVec(f"freeze.{ins.name or ins.index}.{ex.side if not ins.name else ''}.{copy}",
                                         width_of(ins.ty)))
    # an undef-dependent value freezes to one member of its set: no longer undef
    return S.If(n, ex.other_undef(v), sym), S.BoolVal(True)


@handler("zext", "sext", "trunc")
def h_cast(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int" or ins.ops[0].ty.kind != "int":
        raise Unsupported(ins.text)
    a, an = ex.operand(st, ins.ops[0])
    w0, w1 = ins.ops[0].ty.width, ins.ty.width
    fl = _flags(ins)
    if ins.opcode == "zext":
        np_ = S.And(an, S.Extract(w0 - 1, w0 - 1, a) == 0) if "nneg" in fl else an
        return S.ZeroExt(w1 - w0, a), np_
    if ins.opcode == "sext":
        return S.SignExt(w1 - w0, a), an
    v = S.Extract(w1 - 1, 0, a)
    extra = []
    if "nuw" in fl:
        extra.append(S.ZeroExt(w0 - w1, v) == a)
    if "nsw" in fl:
        extra.append(S.SignExt(w0 - w1, v) == a)
    return v, S.And(an, *extra) if extra else an


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
        if ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_local and _int_leaves(ex.fn, ins.key):
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


def _align(ins: Inst, default: int) -> int:
    m = re.search(r"align (\d+)", ins.text)
    return int(m.group(1)) if m else default


def _nbytes(ex: Exec, t: Ty) -> int:
    if t.kind == "int" and t.width % 8 and ex.layout.big_endian:
        raise Unsupported(f"memory access of type {t.text} on a big-endian layout")
    if t.kind == "int":
        return (t.width + 7) // 8
    if t.kind == "ptr":
        return 8
    if t.kind in FP_KINDS:
        return (t.width + 7) // 8   # store size (x86_fp80: 10 bytes)
    raise Unsupported(f"memory access of type {t.text}")


def to_bytes(v, np_, t: Ty, n: int) -> list[Any]:
    w = width_of(t)
    vv = S.ZeroExt(n * 8 - w, v) if n * 8 > w else v
    npb = S.If(np_, S.BitVecVal(1, 1), S.BitVecVal(0, 1))
    return [S.Concat(npb, S.Extract(8 * i + 7, 8 * i, vv)) for i in range(n)]


def from_bytes(bs: list[Any], t: Ty) -> tuple[Any, Any]:
    w = width_of(t)
    vals = [S.Extract(7, 0, x) for x in bs]
    v = vals[0] if len(vals) == 1 else S.Concat(*reversed(vals))
    if len(vals) * 8 > w:
        v = S.Extract(w - 1, 0, v)
    np_ = S.And(*[S.Extract(8, 8, x) == 1 for x in bs])
    return v, np_


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
        # Thunk allocas of the rewriter (`%lz.t.N`, tgt only) are numbered from the top
        # (255 down) so the caller's own allocas get the same block ids on both sides
        # (ids are an encoding artefact; the lockstep check relates blocks by id).
        if ins.name.startswith("lz.t."):
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
    ex.local_align[bid] = _align(ins, 1)
    return mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(0, OFFW)), S.BoolVal(True)


def _checked_access(ex: Exec, st: NodeState, pop: Op, p, pn, n: int, align: int, write: bool) -> None:
    """The UB of an n-byte load or store through operand `pop` (value p, pn): the block's bounds,
    liveness, alignment and writability, and what the parameters' access attributes forbid."""
    ex.check_access(st, p, pn, n, align, write)
    ex.param_access(st, pop, p, write)


@handler("load")
def h_load(ex: Exec, st: NodeState, ins: Inst):
    if " atomic " in ins.text:
        raise Unsupported(ins.text)
    p, pn = ex.operand(st, ins.ops[0])
    n = _nbytes(ex, ins.ty)
    _checked_access(ex, st, ins.ops[0], p, pn, n, _align(ins, 1), write=False)
    if " volatile " in ins.text:
        return _volatile(ex, st, f"volatile.load.{ins.ty}", [(p, pn)], ins.ty)
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
    n = _nbytes(ex, vop.ty)
    _checked_access(ex, st, pop, p, pn, n, _align(ins, 1), write=True)
    if vop.kind == "ref" and vop.key in ex.nocapture and not (pop.kind == "ref" and pop.key in ex.def_local):
        ex.add_ub(st, S.BoolVal(True))   # may capture a `captures(none)` parameter
    if vop.kind == "ref" and vop.key in ex.nocapture_src and ins.key in ex.final_stores:
        # still in non-local memory when the function returns: captured (Alive2's check at return)
        ex.add_ub(st, S.And(vn, S.Not(is_local_bid(ptr_bid(p)))))
    if " volatile " in ins.text:
        _volatile(ex, st, f"volatile.store.{vop.ty}", [(p, pn), (v, vn)], None)
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


def _volatile(ex: Exec, st: NodeState, name: str, args, rty: Ty | None):
    """A volatile access is an observable event: an opaque writing call."""
    return _opaque_call(ex, st, name, args, rty, reads=True, writes=True, willreturn=True)


# -- floating point: operations are uninterpreted functions of their operands.
# Sound for VERIFIED (the same operation on the same bits gives the same result on both
# sides, and LLVM's NaN payload choice is the same set for both), but a counterexample
# may rest on the abstraction: refine.check_pair then re-checks with IEEE semantics.
_FP_OPS = ("fadd", "fsub", "fmul", "fdiv", "frem", "fneg", "fcmp", "fptrunc", "fpext",
           "fptosi", "fptoui", "sitofp", "uitofp")


_FAST_MATH = {"nnan", "ninf", "nsz", "arcp", "contract", "afn", "reassoc", "fast"}


@handler(*_FP_OPS)
def h_fp(ex: Exec, st: NodeState, ins: Inst):
    fl = _flags(ins)
    if fl & _FAST_MATH:
        raise Unsupported(ins.text + " (fast-math flags)")
    vals = [ex.operand(st, o) for o in ins.ops]
    np_ = S.And(*[n for _, n in vals]) if vals else S.BoolVal(True)
    if ins.opcode == "uitofp" and "nneg" in fl:  # a negative operand makes the result poison
        w0 = width_of(ins.ops[0].ty)
        np_ = S.And(np_, S.Extract(w0 - 1, w0 - 1, vals[0][0]) == 0)
    if ex.sh.fp_precise:
        precise = _fp_precise(ex, ins, [v for v, _ in vals])
        if precise is not None:
            v, ok = precise
            return v, S.And(np_, ok)
        ex.sh.fp_approx.add(f"{ins.opcode} is an uninterpreted function")
    sorts = [S.BitVecSort(width_of(o.ty)) for o in ins.ops]
    name = ins.opcode
    if ins.opcode == "fcmp":
        name = f"fcmp.{_fcmp_pred(ins)}"
    rw = width_of(ins.ty)
    # the types are part of the function's identity: half and bfloat (or i16) share a width
    name += "." + ",".join(str(o.ty) for o in ins.ops) + "->" + str(ins.ty)
    f = ex.sh.uf(f"fp.{name}", *sorts, S.BitVecSort(rw))
    v = f(*[x for x, _ in vals])
    if ins.opcode in ("fptosi", "fptoui"):
        okf = ex.sh.uf(f"fp.{name}.ok.{rw}", *sorts, S.BoolSort())
        np_ = S.And(np_, okf(*[x for x, _ in vals]))
    return v, np_


def _fcmp_pred(ins: Inst) -> str:
    return ins.text.split("fcmp", 1)[1].split()[0]


def _fp_precise(ex: Exec, ins: Inst, vals: list[Any]):
    """IEEE semantics of one FP instruction as (bits, extra non-poison), or None if not modelled.
    Every NaN an operation could see or make is recorded in `fp_nan`: the re-check assumes
    none, since LLVM leaves NaN payloads nondeterministic."""
    op, rw = ins.opcode, width_of(ins.ty)
    ws = [width_of(o.ty) for o in ins.ops]
    if any(t.kind in FP_KINDS and t.kind not in ("float", "double") for t in [ins.ty, *(o.ty for o in ins.ops)]):
        return None   # IEEE re-check only for float and double
    fpw = [w for o, w in zip(ins.ops, ws) if o.ty.kind in ("float", "double")]
    if op == "frem" or not all(S.fp_supported(w) for w in fpw):
        return None
    if op in ("fadd", "fsub", "fmul", "fdiv"):
        v, nan = S.fp_arith(op, vals[0], vals[1], rw)
        ex.sh.fp_nan.append(nan)
        return v, S.BoolVal(True)
    if op == "fneg":
        return vals[0] ^ S.BitVecVal(1 << (rw - 1), rw), S.BoolVal(True)
    if op == "fcmp":
        return S.If(S.fp_compare(_fcmp_pred(ins), vals[0], vals[1], ws[0]),
                    S.BitVecVal(1, 1), S.BitVecVal(0, 1)), S.BoolVal(True)
    if op in ("fpext", "fptrunc"):
        v, nan = S.fp_resize(vals[0], ws[0], rw)
        ex.sh.fp_nan.append(nan)
        return v, S.BoolVal(True)
    if op in ("sitofp", "uitofp"):
        return S.fp_from_int(vals[0], op == "sitofp", rw), S.BoolVal(True)
    if op in ("fptosi", "fptoui"):
        return S.fp_to_int(vals[0], ws[0], op == "fptosi", rw)
    return None


# -- terminators
def _branch_on_undef(ex: Exec, st: NodeState, c: Any) -> None:
    """Branching on undef is UB (LangRef), as on a value that depends on undef so that
    another choice gives another condition (Alive2)."""
    c2 = ex.other_undef(c)
    if not c2.eq(c):
        ex.add_ub(st, c != c2)


@handler("br")
def h_br(ex: Exec, st: NodeState, ins: Inst):
    if len(ins.ops) == 1:
        ex.goto(st, ins.ops[0].key, S.BoolVal(True))
        return None
    c, cn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Not(cn))
    _branch_on_undef(ex, st, c)
    # LLVM's operand order for a conditional br is (cond, false dest, true dest).
    fdest, tdest = ins.ops[1].key, ins.ops[2].key
    ex.goto(st, tdest, c == 1)
    ex.goto(st, fdest, c == 0)
    return None


@handler("switch")
def h_switch(ex: Exec, st: NodeState, ins: Inst):
    c, cn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Not(cn))
    _branch_on_undef(ex, st, c)
    w = ins.ops[0].ty.width
    cases = re.findall(r"i\d+ (-?\d+|true|false), label", ins.text)
    dests = [o.key for o in ins.ops[2:] if o.kind == "block"]
    if len(cases) != len(dests):
        raise Unsupported(ins.text)
    default = ins.ops[1].key
    conds_by_dest: dict[int, list[Any]] = {}
    taken = []
    for cv, d in zip(cases, dests):
        val = 1 if cv == "true" else 0 if cv == "false" else int(cv)
        eq = c == S.BitVecVal(val % (1 << w), w)
        conds_by_dest.setdefault(d, []).append(eq)
        taken.append(eq)
    for d, cs in conds_by_dest.items():
        ex.goto(st, d, S.Or(*cs) if len(cs) > 1 else cs[0])
    ex.goto(st, default, S.Not(S.Or(*taken)) if taken else S.BoolVal(True))
    return None


@handler("ret")
def h_ret(ex: Exec, st: NodeState, ins: Inst):
    if ins.ops and ins.ops[0].kind == "undef" and "noundef" in ex.fn.ret_attrs.split():
        ex.add_ub(st, S.BoolVal(True))   # LangRef: undef into a noundef return is UB
    if "noreturn" in attr_tokens(ex.fn.fn_attrs):
        ex.add_ub(st, S.BoolVal(True))   # a noreturn function that returns
    if ins.ops:
        v, n = ex.operand(st, ins.ops[0])
        if ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_stack:
            raise Unsupported(f"{ins.text} (returns a local address)")
        if ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_local:
            ex.heap_escapes(ins, "ret")
        if ins.ops[0].kind == "ref" and (ins.ops[0].key in ex.nocapture or ins.ops[0].key in ex.nocapture_src):
            n = S.BoolVal(False)         # returning a `captures(none)` pointer: poison (Alive2)
        for p, (pv, _) in zip(ex.fn.params, ex.args_in):
            if "returned" in attr_tokens(p.attrs) and str(p.ty) == str(ins.ops[0].ty):
                n = S.And(n, v == pv)    # returning another value than the `returned` argument: poison
        v, n = apply_ret_attrs(ex, st, v, n, ex.fn.ret_attrs, ins.ops[0].ty, call=False)
    else:
        v, n = S.BitVecVal(0, 1), S.BoolVal(True)
    ex.record_return(st, v, n)
    return None


@handler("unreachable")
def h_unreachable(ex: Exec, st: NodeState, ins: Inst):
    ex.add_ub(st, S.BoolVal(True))
    st.pc = S.BoolVal(False)
    return None


# -- calls
_MEMORY = re.compile(r"memory\(([^)]*)\)")


def argmem_effects(attrs: str) -> tuple[bool, bool]:
    """(reads, writes) of memory based on pointer arguments that a function's attributes allow
    (`memory(...)` with an `argmem:` part or a default part, readnone/readonly/writeonly)."""
    toks = attrs.split()
    if "readnone" in toks:
        return False, False
    reads, writes = "writeonly" not in toks, "readonly" not in toks
    for m in _MEMORY.finditer(attrs):
        eff = None
        for part in m.group(1).split(","):
            loc, _, e = part.rpartition(":")
            loc = loc.strip()
            if loc in ("", "argmem") and (eff is None or loc == "argmem"):
                eff = e.strip()
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
    for m in _MEMORY.finditer(attrs):
        r = w = False
        for part in m.group(1).split(","):
            eff = part.split(":")[-1].strip()
            r = r or eff in ("read", "readwrite")
            w = w or eff in ("write", "readwrite")
        reads, writes = reads and r, writes and w
    return reads, writes


def _call_parts(ins: Inst) -> tuple[str, str]:
    """(callee name, call-site function attributes) of a call's text."""
    m = re.search(r"@([\w.$\-]+|\"[^\"]+\")\(", ins.text)
    name = m.group(1).strip('"') if m else ""
    depth, i0 = 0, ins.text.find("(", m.end() - 1) if m else -1
    tail = ""
    if i0 >= 0:
        for i in range(i0, len(ins.text)):
            if ins.text[i] == "(":
                depth += 1
            elif ins.text[i] == ")":
                depth -= 1
                if depth == 0:
                    tail = ins.text[i + 1:]
                    break
    return name, tail


@handler("call")
def h_call(ex: Exec, st: NodeState, ins: Inst):
    callee = ins.ops[-1]
    if callee.kind != "global":
        return _indirect_call(ex, st, ins)
    name = callee.name
    if "musttail" in ins.text or "inline asm" in ins.text:
        raise Unsupported(ins.text)
    if name != "llvm.assume" and "[" in _call_parts(ins)[1]:
        raise Unsupported(f"{ins.text} (operand bundles)")   # their operands are not arguments
    if name.startswith("llvm."):
        for prefix, h in INTRINSICS.items():
            if name.startswith(prefix) and (name == prefix or name[len(prefix)] == "." or prefix.endswith(".")):
                ret_attrs = _call_ret_attrs(ins, name)
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
    _, site = _call_parts(ins)
    from lazycc.validator.irmodel import expand_attrs
    site = expand_attrs(site, ex.mod.attr_groups)
    attrs = decl.attrs + " " + site + " " + libc_attrs(decl, ins, site)
    reads, writes = memory_effects(attrs)
    toks = set(attrs.replace("(", " ").split())
    model = LIBC_MODELS.get(name) if libc_attrs(decl, ins, site) else None
    if model is not None:
        return model(ex, st, ins)
    hf = heap_fn(decl, ins, site) if ex.sh.heap_model else None
    if hf is not None:
        return heap_call(ex, st, ins, hf, attrs, (_call_ret_attrs(ins, name) + " " + decl.ret_attrs).strip())
    args = []
    for o in ins.ops[:-1]:
        if o.kind == "ref" and o.key in ex.maybe_local:
            raise Unsupported(f"{ins.text} (passes a local address to a call)")
        args.append(ex.operand(st, o))
    # poison passed to a noundef parameter is UB
    argtexts = call_arg_texts(ins, name)
    # the declaration's parameter attributes hold at every call, like the call site's
    argtexts = [(_arg_type(t) + " " + decl.param_attrs[i] + " " + t[len(_arg_type(t)):].strip())
                if i < len(decl.param_attrs) and decl.param_attrs[i] and " " in t else t
                for i, t in enumerate(argtexts)]
    args = [_call_site_arg(ex, st, o, v, n, t) for o, (v, n), t in zip(ins.ops[:-1], args, argtexts)] \
        + args[len(argtexts):]
    willreturn = "willreturn" in toks and "nounwind" in toks
    rty = ins.ty if ins.ty.kind != "void" else None
    ret_attrs = (_call_ret_attrs(ins, name) + " " + decl.ret_attrs).strip()
    r = _opaque_call(ex, st, name, _callee_view(ex, ins.ops[:-1], args), rty, reads, writes, willreturn,
                     nounwind="nounwind" in toks)
    ret_i = next((i for i, t in enumerate(argtexts) if "returned" in t.split()[1:-1]), None)
    if r is not None and ret_i is not None and _returned_arg_ok(ins, ret_i):
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


def _allocsize_promise(ex: Exec, st: NodeState, decl, args, v) -> None:
    """`allocsize(i[, j])` on a declaration that is no allocation function: the result is null
    or points to at least args[i] (* args[j]) bytes of a live block (LangRef), a fact about
    the callee for those arguments."""
    m = _ALLOCSIZE.search(decl.attrs)
    if m is None or decl.ret_ty.kind != "ptr":
        return
    idx = [int(x) for x in m.groups() if x is not None]
    if any(i >= len(args) for i in idx):
        return
    size, ok = None, [args[i][1] for i in idx]
    for i in idx:
        x, fits = _to64(args[i][0])
        ok.append(fits)
        if size is not None:
            ok.append(S.BVMulNoOverflow(size, x, False))
        size = x if size is None else size * x
    b = ptr_bid(v)
    inb = S.And(b != 0, S.ULE(S.ZeroExt(8, ptr_off(v)) + size, ex.block_size(b)),
                ex.nonlocal_alive(st, b, force=True))
    ex.addr_facts.append(S.Implies(S.And(*ok), S.Or(v == 0, inb)))


# C library functions whose effects the C standard fixes (LLVM's own inferLibFuncAttributes
# relies on the same facts): (return type, argument types) -> attributes.  They read only the
# memory their arguments point to, write nothing, and return (UB, e.g. an unterminated
# string, stays an unknown of the arguments and memory, as for any call).
_LIBC_READONLY = "memory(argmem: read) nounwind willreturn nofree nosync"
LIBC = {
    "strlen": ("i64", ("ptr",)), "strnlen": ("i64", ("ptr", "i64")),
    "strcmp": ("i32", ("ptr", "ptr")), "strncmp": ("i32", ("ptr", "ptr", "i64")),
    "memcmp": ("i32", ("ptr", "ptr", "i64")), "bcmp": ("i32", ("ptr", "ptr", "i64")),
    "memchr": ("ptr", ("ptr", "i32", "i64")), "strchr": ("ptr", ("ptr", "i32")),
    "strrchr": ("ptr", ("ptr", "i32")), "strstr": ("ptr", ("ptr", "ptr")),
    "strspn": ("i64", ("ptr", "ptr")), "strcspn": ("i64", ("ptr", "ptr")), "strpbrk": ("ptr", ("ptr", "ptr")),
    "ffs": ("i32", ("i32",)), "ffsl": ("i32", ("i64",)), "ffsll": ("i32", ("i64",)),
    "fabs": ("double", ("double",)), "fabsf": ("float", ("float",)),
}


def libc_attrs(decl, ins: Inst, site: str) -> str:
    """Known attributes of a C library function called by its standard name and type from a
    module that only declares it (not under -fno-builtin, which marks the call `nobuiltin`)."""
    sig = LIBC.get(decl.name)
    if sig is None or decl.defined or "nobuiltin" in site.split() or "nobuiltin" in decl.attrs.split():
        return ""
    if str(ins.ty) != sig[0] or tuple(str(o.ty) for o in ins.ops[:-1]) != sig[1]:
        return ""
    return _LIBC_READONLY


# -- heap allocation (docs/validator.md, "Heap"): Alive2's model of malloc & co.
@dataclass(frozen=True)
class HeapFn:
    """What an allocation function does: Alive2's known C/C++ functions, or LLVM's `allockind`
    (+ `allocsize`, `allocptr`, `allocalign`) on the declaration."""
    kind: str                        # "alloc", "realloc" or "free"
    size: tuple[int, ...] = ()       # arguments whose product is the size; () = unknown
    contents: str = "uninitialized"  # of a new block: "uninitialized", "zeroed" or "unknown"
    ptr: int | None = None           # the pointer argument of realloc/free
    align_arg: int | None = None     # argument giving the block's alignment
    align: int = 8                   # Alive2's heap_block_alignment


# name -> ((return type, argument types), model); called by its standard name and type from a
# module that only declares it and not `nobuiltin` (as libc_attrs)
_HEAP_LIBC = {
    "malloc": (("ptr", ("i64",)), HeapFn("alloc", (0,))),
    "_Znwm": (("ptr", ("i64",)), HeapFn("alloc", (0,))),
    "_Znwj": (("ptr", ("i32",)), HeapFn("alloc", (0,))),
    "valloc": (("ptr", ("i64",)), HeapFn("alloc", (0,), align=4096)),
    "calloc": (("ptr", ("i64", "i64")), HeapFn("alloc", (0, 1), "zeroed")),
    "aligned_alloc": (("ptr", ("i64", "i64")), HeapFn("alloc", (1,), align_arg=0)),
    "memalign": (("ptr", ("i64", "i64")), HeapFn("alloc", (1,), align_arg=0)),
    "realloc": (("ptr", ("ptr", "i64")), HeapFn("realloc", (1,), ptr=0)),
    "free": (("void", ("ptr",)), HeapFn("free", ptr=0)),
}
_ALLOCSIZE = re.compile(r"allocsize\((\d+)(?:,\s*(\d+))?\)")


def heap_fn(decl, ins: Inst, site: str) -> HeapFn | None:
    """The heap model of a direct call, or None (an ordinary call)."""
    toks = (decl.attrs + " " + site).split()
    known = _HEAP_LIBC.get(decl.name)
    if known is not None and not decl.defined and "nobuiltin" not in toks and str(ins.ty) == known[0][0] \
            and tuple(str(o.ty) for o in ins.ops[:-1]) == known[0][1]:
        return known[1]
    m = re.search(r'allockind\("([^"]*)"\)', decl.attrs + " " + site)
    if m is None:
        return None
    kinds = set(m.group(1).split(","))
    sz = _ALLOCSIZE.search(decl.attrs + " " + site)
    size = tuple(int(x) for x in sz.groups() if x is not None) if sz else ()
    args = call_arg_texts(ins, decl.name)
    pattrs = [(decl.param_attrs[i] if i < len(decl.param_attrs) else "") + " " + t for i, t in enumerate(args)]
    ptr = next((i for i, t in enumerate(pattrs) if "allocptr" in t.split()), None)
    align_arg = next((i for i, t in enumerate(pattrs) if "allocalign" in t.split()), None)
    contents = "zeroed" if "zeroed" in kinds else "uninitialized" if "uninitialized" in kinds else "unknown"
    if "alloc" in kinds and ins.ty.kind == "ptr":
        return HeapFn("alloc", size, contents, None, align_arg)
    if "realloc" in kinds and ptr is not None and ins.ty.kind == "ptr":
        return HeapFn("realloc", size, contents, ptr, align_arg)
    if "free" in kinds and ptr is not None:
        return HeapFn("free", ptr=ptr)
    return None


def _heap_fn_of(ins: Inst, mod: Module, decl_override: dict) -> HeapFn | None:
    callee = ins.ops[-1] if ins.ops else None
    if ins.opcode != "call" or callee is None or callee.kind != "global" or callee.name.startswith("llvm."):
        return None
    decl = decl_override.get(callee.name) or mod.decls.get(callee.name)
    if decl is None:
        return None
    from lazycc.validator.irmodel import expand_attrs
    return heap_fn(decl, ins, expand_attrs(_call_parts(ins)[1], mod.attr_groups))


def heap_sites(fn: Function, mod: Module, decl_override: dict) -> set[int]:
    """The calls of `fn` that allocate a heap block (their results may point to it)."""
    return {i.key for b in fn.blocks for i in b.insts
            if (h := _heap_fn_of(i, mod, decl_override)) is not None and h.kind != "free"}


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
            or (i.opcode == "ptrtoint" and i.ops[0].kind == "ref" and i.ops[0].key in heap and _int_leaves(fn, i.key))
            for b in fn.blocks for i in b.insts):
        return False     # an escape Exec.heap_escapes would refuse
    for b in fn.blocks:
        for i in b.insts:
            if i.opcode not in ("call", "invoke", "callbr") or not any(
                    o.kind == "ref" and o.key in maybe and o.key not in stack for o in i.ops[:-1]):
                continue
            callee = i.ops[-1]
            if not (callee.kind == "global" and (callee.name.startswith("llvm.") or callee.name in LIBC_MODELS
                                                 or _heap_fn_of(i, mod, decl_override) is not None)):
                return False
    return True


def _int_leaves(fn: Function, key: int) -> bool:
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
                        or _heap_fn_of(i, mod, decl_override) is not None):
                    return False
    return True


def _heap_arg(ex: Exec, st: NodeState, ins: Inst, i: int) -> tuple[Any, Any]:
    """Argument i of a heap function: `noundef` (Alive2's known functions), so poison or a
    literal undef is UB; call-site attributes (`nonnull`...) apply as at any call."""
    o = ins.ops[i]
    v, n = ex.operand(st, o)
    texts = call_arg_texts(ins, ins.ops[-1].name)
    if i < len(texts):
        v, n = _call_site_arg(ex, st, o, v, n, texts[i])
    ex.add_ub(st, S.Or(S.Not(n), S.BoolVal(o.kind == "undef")))
    return v, n


def _to64(v) -> tuple[Any, Any]:
    """An integer as a 64-bit size, and whether it fits."""
    w = v.size()
    if w <= 64:
        return (S.ZeroExt(64 - w, v) if w < 64 else v), S.BoolVal(True)
    return S.Extract(63, 0, v), S.Extract(w - 1, 64, v) == 0


def _heap_size(ex: Exec, st: NodeState, ins: Inst, hf: HeapFn, bid: int) -> tuple[Any, Any]:
    """(size, the size computation did not overflow) of an allocation (calloc: n * size)."""
    if not hf.size:
        return ex.sh.fresh(f"alloc.size.{ex.side}.{bid}", 64), S.BoolVal(True)
    size, ok = None, []
    for i in hf.size:
        v, fits = _to64(_heap_arg(ex, st, ins, i)[0])
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
        _store_range(ex, st, blk, size, lambda a: S.BitVecVal(0x100, BYTE))
    elif hf.contents == "uninitialized":
        _store_range(ex, st, blk, size, lambda a: S.BitVecVal(0, BYTE))    # poison
    else:   # contents the allocator does not specify: unknown bytes (each side's own)
        junk = S.Array(f"alloc.contents.{ex.side}.{bid}", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
        _store_range(ex, st, blk, size, lambda a: S.Select(junk, a))
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
        _store_range(ex, st, mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(0, OFFW)), n, old_byte)
        if frees:
            _heap_free(ex, st, S.If(S.Or(ex.heap_sizes[bid] == 0, ok), old, S.BitVecVal(0, PTRW)))
    return apply_ret_attrs(ex, st, r, S.BoolVal(True), ret_attrs, ins.ty, call=True)


_INDIRECT_CALLEE = re.compile(r"%(?:[\w.$\-]+|\"[^\"]+\")\(")


def _returned_arg_ok(ins: Inst, i: int) -> bool:
    """Argument i has the call's result type (what `returned` requires)."""
    return i < len(ins.ops) - 1 and str(ins.ops[i].ty) == str(ins.ty)


def _indirect_parts(ins: Inst) -> tuple[str, list[str], str]:
    """(return attributes, argument texts, call-site function attributes) of an indirect call."""
    text = ins.text
    i_call = re.compile(r"\bcall\b").search(text, text.find(" = ") + 3 if text.startswith("%") else 0)
    m = _INDIRECT_CALLEE.search(text, i_call.end() if i_call else 0)
    if m is None:
        raise Unsupported(f"{text} (indirect call: callee not found)")
    head = text[i_call.end():m.start()] if i_call else ""
    depth, i0, close = 0, m.end() - 1, -1
    for i in range(i0, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                close = i
                break
    if close < 0:
        raise Unsupported(f"{text} (indirect call: argument list)")
    inner = text[i0 + 1:close]
    argtexts = split_top(inner) if inner.strip() else []
    head = re.sub(r"\([^()]*\)\s*$", "", head.strip())   # a varargs call's function type
    if ins.ty.text and head.strip().endswith(ins.ty.text):
        head = head.strip()[: -len(ins.ty.text)]
    else:
        head = " ".join(attr_tokens(head)[:-1])
    return head.strip(), argtexts, text[close + 1:]


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
    ret_attrs, argtexts, site = _indirect_parts(ins)
    if "[" in site:
        raise Unsupported(f"{ins.text} (operand bundles)")
    if len(argtexts) != len(ins.ops) - 1:
        raise Unsupported(f"{ins.text} (indirect call: arguments)")
    from lazycc.validator.irmodel import expand_attrs
    attrs = expand_attrs(site, ex.mod.attr_groups)
    reads, writes = memory_effects(attrs)
    toks = set(attrs.replace("(", " ").split())
    fp, fpn = ex.operand(st, callee)
    ex.add_ub(st, S.Not(fpn))            # calling poison is UB
    args = [(fp, S.BoolVal(True))]
    for o, t in zip(ins.ops[:-1], argtexts):
        v, n = ex.operand(st, o)
        args.append(_call_site_arg(ex, st, o, v, n, t))
    args = args[:1] + _callee_view(ex, ins.ops[:-1], args[1:])
    willreturn = "willreturn" in toks and "nounwind" in toks
    rty = ins.ty if ins.ty.kind != "void" else None
    sig = "(" + ",".join(str(o.ty) for o in ins.ops[:-1]) + ")->" + str(ins.ty)
    e = _call_effects(ex, st.NL, f"indirect{sig}", args, rty, reads, writes, willreturn, "nounwind" in toks)
    # The callee may be a function named here: then it is that function's call (the same
    # symbols as a direct call to it), so `if (fp == @f) f(); else fp();` refines `fp()`.
    for name, bid in sorted(ex.sh.gbid.items(), key=lambda kv: -kv[1]):
        d = ex.sh.decl_override.get(name) or ex.mod.decls.get(name)
        if d is None or d.is_intrinsic or str(d.ret_ty) != str(ins.ty) or len(d.param_attrs) != len(args) - 1 \
                or name in LIBC_MODELS:
            continue
        dattrs = d.attrs + " " + attrs
        dr, dw = memory_effects(dattrs)
        dtoks = set(dattrs.replace("(", " ").split())
        g = _call_effects(ex, st.NL, name, args[1:], rty, dr, dw,
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
    r = _apply_call(ex, st, e)
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


def _arg_type(text: str) -> str:
    """The type at the front of an argument's text (`<2 x i32>` and `{ i8, i32 }` have spaces)."""
    return split_top(text, " ")[0]


def _call_site_arg(ex: Exec, st: NodeState, o, v, n, text: str):
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


def _call_ret_attrs(ins: Inst, name: str) -> str:
    """Return attributes written at a call site: between `call` (+ cc/fast-math flags) and the type."""
    head = ins.text.split("@" + name + "(", 1)[0] if "@" + name + "(" in ins.text else \
        ins.text.split('@"' + name + '"(', 1)[0]
    if head.startswith("%"):
        head = head.split(" = ", 1)[-1]          # the result's name may contain "call"
    head = re.split(r"\bcall\b", head, 1)[-1]
    head = re.sub(r"\([^()]*\)\s*$", "", head.strip())   # a varargs call's function type
    if head.strip().endswith(ins.ty.text or "\0"):
        head = head.strip()[: -len(ins.ty.text)]
    else:
        toks = attr_tokens(head)
        head = " ".join(toks[:-1])
    return head.strip()


_ATTR_TOKEN = re.compile(r"[\w.]+\([^()]*\)|align \d+|\S+")
# Linkage, visibility, calling conventions etc. in front of a return type: no value semantics.
_NOT_ATTRS = {"define", "declare", "private", "internal", "available_externally", "linkonce", "weak", "common",
              "appending", "extern_weak", "linkonce_odr", "weak_odr", "external", "dso_local",
              "dso_preemptable", "default", "hidden", "protected", "dllimport", "dllexport", "ccc", "fastcc",
              "coldcc", "tail", "notail", "musttail", "unnamed_addr", "local_unnamed_addr"}


def attr_tokens(text: str) -> list[str]:
    return _ATTR_TOKEN.findall(text)


def call_arg_texts(ins: Inst, name: str) -> list[str]:
    """Each argument's printed text (type, attributes, value) of a direct call to @name."""
    marker = "@" + name + "("
    if marker not in ins.text:
        return []
    return split_top(ins.text[ins.text.find(marker) + len(marker):].rsplit(")", 1)[0])


def _call_arg_attrs(ex: Exec, st: NodeState, ins: Inst, name: str) -> None:
    """`noundef` on an intrinsic's argument: passing poison is UB."""
    for o, t in zip(ins.ops[:-1], call_arg_texts(ins, name)):
        if "noundef" in t.split()[:-1]:
            ex.add_ub(st, S.Not(ex.operand(st, o)[1]))


_RANGE = re.compile(r"range\(i(\d+) (-?\d+), (-?\d+)\)")
# Return/parameter attributes we model (their violation is poison, `noundef` turns poison into UB);
# `dereferenceable*` is UB when violated.  Anything else that can add poison or UB is refused
# on the tgt side (where ignoring it could accept a wrong rewrite) and ignored on the src side
# (ignoring it makes src more defined: more rejections, never fewer).
_HARMLESS_ATTRS = {"zeroext", "signext", "inreg", "noalias", "nocapture", "readonly", "readnone",
                   "writeonly", "returned", "nofree", "noundef", "nonnull", "noext", "dead_on_unwind",
                   "writable", "immarg", "captures", "byval", "sret", "elementtype", "nest",
                   "allocalign", "allocptr", "initializes", "preallocated", "inalloca"}


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
    known = _HARMLESS_ATTRS | _NOT_ATTRS | {"range", "align", "dereferenceable", "dereferenceable_or_null"}
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
    toks = {t.split("(")[0] for t in attr_tokens(attrs)} - _NOT_ATTRS
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


@dataclass
class CallEffects:
    """What an opaque call does, as terms of its inputs (before any is applied to a state)."""
    ub: Any
    noret: Any | None          # None: it returns
    observable: bool           # not returning is seen by the caller (unwind/exit)
    mem: Any | None            # None: non-local memory unchanged
    ret: tuple[Any, Any] | None


def _call_effects(ex: Exec, NL, name: str, args, rty: Ty | None, reads: bool, writes: bool,
                  willreturn: bool, nounwind: bool) -> CallEffects:
    """The uninterpreted functions of one callee (by name and argument count) applied to the
    arguments (values and poison bits) and, if it may read or write memory, `NL`."""
    vals = []
    sorts = []
    for v, n in args:
        vals += [v, n]
        sorts += [v.sort(), n.sort()]      # a vector's or aggregate's non-poison part: one bit a lane
    if reads or writes:
        vals.append(NL)
        sorts.append(S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))
    sig = f"{name}/{len(args)}"
    ub = ex.sh.uf(f"call.{sig}.ub", *sorts, S.BoolSort())(*vals)
    # it may loop forever, exit (if it has effects) or unwind (unless nounwind)
    noret = None if willreturn else ex.sh.uf(f"call.{sig}.noret", *sorts, S.BoolSort())(*vals)
    mem = ex.sh.uf(f"call.{sig}.mem", *sorts, S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))(*vals) \
        if writes else None
    ret = None
    if rty is not None:
        if lanes.is_multi(rty) and any(t.kind == "ptr" for t in lanes.leaves(rty)):
            raise Unsupported(f"call of {name} returning pointers in an aggregate")
        v = ex.sh.uf(f"call.{sig}.ret", *sorts, S.BitVecSort(width_of(rty)))(*vals)
        # (a call-site `noundef` is applied by apply_ret_attrs: UB when this is poison)
        np_ = ex.sh.uf(f"call.{sig}.np", *sorts, S.BitVecSort(lanes.np_width(rty)) if lanes.is_multi(rty)
                       else S.BoolSort())(*vals)
        if rty.kind == "ptr":
            # Pointers returned by calls are non-local (this call's allocas did not escape).
            v = nonlocal_ptr(v)
        ret = (v, np_)
    return CallEffects(ub, noret, not nounwind or reads or writes, mem, ret)


def _apply_call(ex: Exec, st: NodeState, e: CallEffects):
    ex.add_ub(st, e.ub)
    if e.noret is not None:
        ex.add_noret(st, e.noret, observable=e.observable)
    if e.mem is not None:
        st.NL = e.mem
    return e.ret


def _opaque_call(ex: Exec, st: NodeState, name: str, args, rty: Ty | None, reads: bool, writes: bool,
                 willreturn: bool, noundef_ret: bool = False, nounwind: bool = False):
    return _apply_call(ex, st, _call_effects(ex, st.NL, name, args, rty, reads, writes, willreturn, nounwind))


# -- intrinsics: a second table, by name prefix
INTRINSICS: dict[str, Callable] = {}


def intrinsic(*prefixes: str):
    def deco(f):
        for p in prefixes:
            INTRINSICS[p] = f
        return f
    return deco


@intrinsic("llvm.sideeffect")
def i_sideeffect(ex, st, ins, name):
    """An event with effects on inaccessible memory (unless the call site says `memory(none)`):
    an opaque call that returns (Alive2's `#sideeffect`), so it may not be dropped."""
    from lazycc.validator.irmodel import expand_attrs
    decl = ex.sh.decl_override.get(name) or ex.mod.decls.get(name)
    reads, writes = memory_effects((decl.attrs if decl else "") + " " +
                                   expand_attrs(_call_parts(ins)[1], ex.mod.attr_groups))
    return _opaque_call(ex, st, name, [], None, reads, writes, willreturn=True, nounwind=True)


@intrinsic("llvm.trap", "llvm.ubsantrap")
def i_trap(ex, st, ins, name):
    """Abnormal termination, the same on both sides: defined behaviour that never returns
    (the memory at that point is compared, like an exit).  It is an opaque event of its own,
    as in Alive2 (`#trap`): its UB is an unknown of its arguments (never true in a real run;
    the queries hold for every value), so a target may not trap where the source stops in
    another way (a noreturn call, an infinite loop)."""
    args = [ex.operand(st, o) for o in ins.ops[:-1]]
    _opaque_call(ex, st, name, args, None, reads=False, writes=False, willreturn=True, nounwind=True)
    ex.add_noret(st, S.BoolVal(True), observable=True)
    return None


@intrinsic("llvm.debugtrap")
def i_debugtrap(ex, st, ins, name):
    """A breakpoint: an event that returns (an opaque call with effects, as Alive2 does)."""
    return _opaque_call(ex, st, name, [], None, reads=True, writes=True, willreturn=True, nounwind=True)


@intrinsic("llvm.dbg.", "llvm.experimental.noalias.scope.decl", "llvm.donothing")
def i_noop(ex, st, ins, name):
    if ins.ty.kind != "void":
        raise Unsupported(ins.text)
    return None


@intrinsic("llvm.lifetime.start", "llvm.lifetime.end")
def i_lifetime(ex, st, ins, name):
    p = ins.ops[-2] if len(ins.ops) >= 2 else None
    if p is None or p.kind != "ref":
        raise Unsupported(ins.text)
    v, _ = ex.operand(st, p)
    bid = S.bv_const_value(ptr_bid(v))
    if bid is None or bid < 128:
        raise Unsupported(ins.text)
    st.alive[bid] = S.BoolVal(name.startswith("llvm.lifetime.start"))
    if name.startswith("llvm.lifetime.start"):
        # A restarted lifetime begins with poison contents.
        size = ex.local_sizes.get(bid, 0)
        for i in range(size):
            st.L = S.Store(st.L, mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(i, OFFW)), S.BitVecVal(0, BYTE))
    return None


_BUNDLE = re.compile(r'"([\w.-]+)"\(([^()]*)\)')


@intrinsic("llvm.assume")
def i_assume(ex, st, ins, name):
    """`assume(c)`: UB unless c.  Operand bundles are assumptions too, each UB when it does
    not hold: "align"(p, n[, off]), "nonnull"(p), "noundef"(v...), "dereferenceable"(p, n),
    "ignore"/"cold" (nothing).  Others are refused in the target and ignored in the source
    (ignoring an assumption makes the source more defined: sound)."""
    c, cn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Or(S.Not(cn), c == 0))
    bundles = ins.text.split(")", 1)[1] if ")" in ins.text else ""
    ops = ins.ops[1:-1]
    i = 0
    for m in _BUNDLE.finditer(bundles):
        kind, n = m.group(1), len(split_top(m.group(2))) if m.group(2).strip() else 0
        args = [ex.operand(st, o) for o in ops[i:i + n]]
        tys = [o.ty for o in ops[i:i + n]]
        i += n
        if kind in ("ignore", "cold"):
            continue
        if kind == "noundef":
            ex.add_ub(st, S.Not(S.And(*[np_ for _, np_ in args])) if args else S.BoolVal(False))
            continue
        if kind == "nonnull" and n == 1 and tys[0].kind == "ptr":
            p, pn = args[0]
            ex.add_ub(st, S.And(pn, ex.addr_of(p) == 0))
            continue
        if kind == "align" and n in (2, 3) and tys[0].kind == "ptr" and ops[i - n + 1].kind == "int":
            (p, pn), al = args[0], ops[i - n + 1].value
            addr = ex.addr_of(p)
            if n == 3:
                (o, on) = args[2]
                w = width_of(tys[2])
                addr = addr - (S.ZeroExt(64 - w, o) if w < 64 else S.Extract(63, 0, o))
            if al & (al - 1) == 0 and al > 1:
                ex.add_ub(st, S.And(pn, S.Not(aligned(addr, al))))
            continue
        if kind == "dereferenceable" and n == 2 and tys[0].kind == "ptr" and ops[i - 1].kind == "int":
            (p, pn), size = args[0], ops[i - 1].value
            if size:
                ex.check_access(st, p, pn, size, 1, write=False)
            continue
        if ex.side == "tgt":
            raise Unsupported(f"{ins.text} (assume bundle {kind})")
    if i != len(ops):
        raise Unsupported(f"{ins.text} (assume bundle operands)")
    return None


@intrinsic("llvm.expect")
def i_expect(ex, st, ins, name):
    return ex.operand(st, ins.ops[0])


@intrinsic("llvm.smax", "llvm.smin", "llvm.umax", "llvm.umin")
def i_minmax(ex, st, ins, name):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    kind = name.split(".")[1]
    cmp = {"smax": lambda: a > b, "smin": lambda: a < b, "umax": lambda: S.UGT(a, b),
           "umin": lambda: S.ULT(a, b)}[kind]()
    return S.If(cmp, a, b), S.And(an, bn)


# Exponent and fraction bits of the IEEE formats (x86_fp80's explicit integer bit: not here).
_IEEE = {"half": (5, 10), "bfloat": (8, 7), "float": (8, 23), "double": (11, 52), "fp128": (15, 112)}


def _ieee_operand(ex, st, ins, i: int):
    """FP operand i of a bit-level FP intrinsic: (bits, non-poison, exponent bits, fraction bits)."""
    t = ins.ops[i].ty
    if t.kind not in _IEEE:
        raise Unsupported(ins.text)
    v, n = ex.operand(st, ins.ops[i])
    return (v, n, *_IEEE[t.kind])


@intrinsic("llvm.fabs")
def i_fabs(ex, st, ins, name):
    """Clears the sign bit and nothing else, NaNs included (LangRef)."""
    v, n, e, m = _ieee_operand(ex, st, ins, 0)
    return v & S.BitVecVal((1 << (e + m)) - 1, e + m + 1), n


@intrinsic("llvm.copysign")
def i_copysign(ex, st, ins, name):
    """The magnitude's bits with the sign's sign bit (LangRef: a bit operation)."""
    v, n, e, m = _ieee_operand(ex, st, ins, 0)
    s_, sn, _, _ = _ieee_operand(ex, st, ins, 1)
    w = e + m + 1
    return S.Concat(S.Extract(w - 1, w - 1, s_), S.Extract(w - 2, 0, v)), S.And(n, sn)


@intrinsic("llvm.is.fpclass")
def i_is_fpclass(ex, st, ins, name):
    """Tests the operand's class from its bits; the mask is an immediate (bit 0 signaling NaN,
    1 quiet NaN, 2..5 negative infinity/normal/subnormal/zero, 6..9 the positive ones)."""
    v, n, e, m = _ieee_operand(ex, st, ins, 0)
    mask = _flag_operand(ex, st, ins, 1)
    w = e + m + 1
    exp, frac = S.Extract(w - 2, m, v), S.Extract(m - 1, 0, v)
    neg = S.Extract(w - 1, w - 1, v) == 1
    ones, zero = exp == (1 << e) - 1, exp == 0
    quiet = S.Extract(m - 1, m - 1, v) == 1
    classes = [S.And(ones, frac != 0, S.Not(quiet)), S.And(ones, frac != 0, quiet)]
    kinds = [S.And(ones, frac == 0), S.And(S.Not(ones), S.Not(zero)), S.And(zero, frac != 0),
             S.And(zero, frac == 0)]
    classes += [S.And(neg, k) for k in kinds] + [S.And(S.Not(neg), k) for k in reversed(kinds)]
    hit = [c for i, c in enumerate(classes) if mask >> i & 1]
    return _b2bv(S.Or(*hit) if hit else S.BoolVal(False)), n


@intrinsic("llvm.ptrmask")
def i_ptrmask(ex, st, ins, name):
    """The pointer with its address masked and its provenance kept (LangRef: like a GEP by
    `(addr & mask) - addr` without flags)."""
    o = ins.ops[0]
    if o.ty.kind != "ptr" or ins.ops[1].ty.width != PTRW or (o.kind == "ref" and o.key in ex.maybe_local):
        raise Unsupported(ins.text)   # (a local address through a call: the taint does not follow)
    (p, pn), (m, mn) = ex.operand(st, o), ex.operand(st, ins.ops[1])
    addr = ex.addr_of(p)
    return ex.moved(p, (addr & m) - addr), S.And(pn, mn)


@intrinsic("llvm.abs")
def i_abs(ex, st, ins, name):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (f, fn_) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    intmin = S.BitVecVal(1 << (w - 1), w)
    np_ = S.And(an, fn_, S.Or(f == 0, a != intmin))
    return S.If(a < 0, -a, a), np_


def _arg_align(ins: Inst, name: str, i: int) -> int:
    """`align N` on a call's i-th argument (a misaligned pointer is poison there: UB for memory
    intrinsics, so it is checked like an access alignment)."""
    args = call_arg_texts(ins, name)
    m = re.search(r"\balign (\d+)", args[i]) if i < len(args) else None
    return int(m.group(1)) if m else 1


def _sym_len(ex, st, lenop) -> Any:
    """A memory intrinsic's length as a 64-bit value; a poison length is UB (as in Alive2)."""
    if lenop.ty.kind != "int" or lenop.ty.width > 64:
        raise Unsupported(f"memory intrinsic length of type {lenop.ty}")
    n, nn = ex.operand(st, lenop)
    ex.add_ub(st, S.Not(nn))
    return S.ZeroExt(64 - lenop.ty.width, n) if lenop.ty.width < 64 else n


def _param_range_access(ex, st, accesses, n64) -> None:
    """readonly/readnone/writeonly parameters accessed by a memory intrinsic (a non-zero length)."""
    for op, p, write in accesses:
        ex.param_access(st, op, p, write, when=n64 != 0)


def _len64(ex, st, lenop) -> Any:
    """A memory intrinsic's length as a 64-bit value (no UB added)."""
    if lenop.kind == "int":
        return S.BitVecVal(lenop.value, 64)
    return _sym_len(ex, st, lenop)


def _check_range(ex, st, p, pnp, n64, align: int, write: bool) -> None:
    """UB conditions of accessing [p, p+n) for a symbolic n (nothing when n == 0).

    Sums are computed in 66 bits (no wrap-around).  A range that does not fit in the 56-bit
    offset space is UB: no real object is that large, so it exceeds its object."""
    b = ptr_bid(p)
    o, n66 = S.ZeroExt(10, ptr_off(p)), S.ZeroExt(2, n64)
    end = o + n66
    bad = [S.Not(pnp), b == 0, S.ULT(S.ZeroExt(2, ex.block_size(b)), end),
           S.UGT(end, S.BitVecVal(1 << OFFW, 66)), S.Not(ex.alive(st, b))]
    if align > 1:
        bad.append(S.Not(aligned(ex.addr_of(p), align)))
    if write:
        bad += ex.write_bad(b)
    ex.add_ub(st, S.And(n64 != 0, S.Or(*bad)))


def _store_range(ex, st, p, n64, byte_at) -> None:
    """Memory after writing `byte_at(a)` to every address a in [p, p+n): an array lambda,
    exact for any n (the bytes outside the range are the old ones)."""
    # One name for every bound variable: lambdas are closed terms, and equal names make equal
    # updates in src and tgt the same term (hash-consed), which the solver then gets for free.
    a = S.BitVec("range.a", PTRW)
    b, off = ptr_bid(p), ptr_off(p)
    inside = S.And(ptr_bid(a) == b, S.UGE(ptr_off(a), off),
                   S.ULT(S.ZeroExt(8, ptr_off(a) - off), n64))
    loc = locality(b)
    byte = byte_at(a)
    newL = S.Lambda([a], S.If(inside, byte, S.Select(st.L, a)))
    newNL = S.Lambda([a], S.If(inside, byte, S.Select(st.NL, a)))
    if S.is_true(loc):
        st.L = newL
    elif S.is_false(loc):
        st.NL = newNL
    else:
        st.L, st.NL = S.If(loc, newL, st.L), S.If(loc, st.NL, newNL)


_TAIL = re.compile(r"(?:^|[\s=])tail call\b")


def _tail_call_locals(ex, st, ins, ptrs, n64) -> None:
    """A `tail` call promises that the callee does not access the caller's allocas (LangRef).
    Target: UB when a pointer argument is a local address (Alive2's rule, which does not look
    at the access: the stricter reading).  Source: UB only when the intrinsic does access it
    (a non-zero length)."""
    if not _TAIL.search(ins.text):
        return
    local = S.Or(*[S.And(pn, is_local_bid(ptr_bid(p))) for p, pn in ptrs])
    ex.add_ub(st, local if ex.side == "tgt" else S.And(n64 != 0, local))


@intrinsic("llvm.memset")
def i_memset(ex, st, ins, name):
    if "element.unordered.atomic" in name or len(ins.ops) != 5:
        raise Unsupported(ins.text)
    (p, pn), (b, bn), lenop = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1]), ins.ops[2]
    if ins.ops[3].kind != "int" or ins.ops[3].value:
        raise Unsupported(ins.text)      # volatile
    n0 = _len64(ex, st, lenop)
    _tail_call_locals(ex, st, ins, [(p, pn)], n0)
    _param_range_access(ex, st, [(ins.ops[0], p, True)], n0)
    if lenop.kind != "int" or lenop.value > 256:
        n64 = _sym_len(ex, st, lenop)
        _check_range(ex, st, p, pn, n64, _arg_align(ins, name, 0), write=True)
        byte = to_bytes(b, bn, Ty("int", 8, "i8"), 1)[0]
        _store_range(ex, st, p, n64, lambda a: byte)
        return None
    n = lenop.value
    if n:
        ex.check_access(st, p, pn, n, _arg_align(ins, name, 0), write=True)
        ex.store_bytes(st, p, to_bytes(b, bn, Ty("int", 8, "i8"), 1) * n)
    return None


@intrinsic("llvm.memcpy", "llvm.memmove")
def i_memcpy(ex, st, ins, name):
    if "element.unordered.atomic" in name or len(ins.ops) != 5:
        raise Unsupported(ins.text)
    d, s, lenop = ins.ops[0], ins.ops[1], ins.ops[2]
    if ins.ops[3].kind != "int" or ins.ops[3].value:
        raise Unsupported(ins.text)      # volatile
    (dp, dn), (sp, sn) = ex.operand(st, d), ex.operand(st, s)
    if s.kind == "ref" and s.key in ex.maybe_local and s.key not in ex.maybe_stack and ex.heap_stored \
            and not (d.kind == "ref" and d.key in ex.def_local):
        ex.heap_escapes(ins, "mem")      # the copied bytes may hold a heap address
    n0 = _len64(ex, st, lenop)
    _tail_call_locals(ex, st, ins, [(dp, dn), (sp, sn)], n0)
    _param_range_access(ex, st, [(d, dp, True), (s, sp, False)], n0)
    if lenop.kind != "int" or lenop.value > 256:
        n64 = _sym_len(ex, st, lenop)
        _check_range(ex, st, dp, dn, n64, _arg_align(ins, name, 0), write=True)
        _check_range(ex, st, sp, sn, n64, _arg_align(ins, name, 1), write=False)
        if name.startswith("llvm.memcpy"):
            do, so, n66 = S.ZeroExt(10, ptr_off(dp)), S.ZeroExt(10, ptr_off(sp)), S.ZeroExt(2, n64)
            # overlap is UB, except for exactly equal regions (LangRef)
            ex.add_ub(st, S.And(n64 != 0, ptr_bid(dp) == ptr_bid(sp), do != so,
                                S.ULT(do, so + n66), S.ULT(so, do + n66)))
        sb, s_off, d_off = ptr_bid(sp), ptr_off(sp), ptr_off(dp)
        L0, NL0 = st.L, st.NL
        loc = locality(sb)

        def src_byte(a):
            # byte i of the destination range comes from byte i of the source range, read in the
            # memory BEFORE the call (memmove's semantics; for memcpy overlap is UB anyway)
            sa = mk_ptr(sb, s_off + (ptr_off(a) - d_off))
            if S.is_true(loc):
                return S.Select(L0, sa)
            if S.is_false(loc):
                return S.Select(NL0, sa)
            return S.If(loc, S.Select(L0, sa), S.Select(NL0, sa))
        _store_range(ex, st, dp, n64, src_byte)
        return None
    n = lenop.value
    if n:
        ex.check_access(st, dp, dn, n, _arg_align(ins, name, 0), write=True)
        ex.check_access(st, sp, sn, n, _arg_align(ins, name, 1), write=False)
        if name.startswith("llvm.memcpy"):
            # overlapping memcpy is UB, except for exactly equal regions (LangRef)
            do, so = S.ZeroExt(8, ptr_off(dp)), S.ZeroExt(8, ptr_off(sp))
            ex.add_ub(st, S.And(ptr_bid(dp) == ptr_bid(sp), do != so, S.ULT(do, so + n), S.ULT(so, do + n)))
        ex.store_bytes(st, dp, ex.load_bytes(st, sp, n))
    return None


def _int_intrinsic(ins: Inst, n: int) -> None:
    if ins.ty.kind != "int" or len(ins.ops) != n + 1 or any(o.ty.kind != "int" for o in ins.ops[:-1]):
        raise Unsupported(ins.text)


def _popcount(a, w: int):
    return sum((S.ZeroExt(w - 1, S.Extract(i, i, a)) if w > 1 else S.Extract(i, i, a)) for i in range(w))


@intrinsic("llvm.ctpop")
def i_ctpop(ex, st, ins, name):
    _int_intrinsic(ins, 1)
    a, an = ex.operand(st, ins.ops[0])
    return _popcount(a, ins.ty.width), an


def _flag_operand(ex, st, ins, i):
    """An `i1 immarg` flag: must be a constant."""
    if ins.ops[i].kind != "int":
        raise Unsupported(ins.text + " (non-constant flag)")
    return ins.ops[i].value


@intrinsic("llvm.ctlz", "llvm.cttz")
def i_ctlz(ex, st, ins, name):
    _int_intrinsic(ins, 2)
    a, an = ex.operand(st, ins.ops[0])
    zero_poison = _flag_operand(ex, st, ins, 1)
    w = ins.ty.width
    bits = range(w - 1, -1, -1) if name.startswith("llvm.ctlz") else range(w)
    v = S.BitVecVal(w, w)
    for k, i in reversed(list(enumerate(bits))):
        v = S.If(S.Extract(i, i, a) == 1, S.BitVecVal(k, w), v)
    np_ = S.And(an, a != 0) if zero_poison else an
    return v, np_


@intrinsic("llvm.bswap")
def i_bswap(ex, st, ins, name):
    _int_intrinsic(ins, 1)
    w = ins.ty.width
    if w % 16:
        raise Unsupported(ins.text)
    a, an = ex.operand(st, ins.ops[0])
    return S.Concat(*[S.Extract(8 * i + 7, 8 * i, a) for i in range(w // 8)]), an


@intrinsic("llvm.bitreverse")
def i_bitreverse(ex, st, ins, name):
    _int_intrinsic(ins, 1)
    w = ins.ty.width
    a, an = ex.operand(st, ins.ops[0])
    return (S.Concat(*[S.Extract(i, i, a) for i in range(w)]) if w > 1 else a), an


@intrinsic("llvm.fshl", "llvm.fshr")
def i_fsh(ex, st, ins, name):
    _int_intrinsic(ins, 3)
    w = ins.ty.width
    (a, an), (b, bn), (c, cn) = (ex.operand(st, o) for o in ins.ops[:3])
    sh = S.ZeroExt(w, S.URem(c, S.BitVecVal(w, w)))
    cat = S.Concat(a, b)
    if name.startswith("llvm.fshl"):
        v = S.Extract(2 * w - 1, w, cat << sh)
    else:
        v = S.Extract(w - 1, 0, S.LShR(cat, sh))
    return v, S.And(an, bn, cn)


@intrinsic("llvm.uadd.sat", "llvm.usub.sat", "llvm.sadd.sat", "llvm.ssub.sat")
def i_sat(ex, st, ins, name):
    _int_intrinsic(ins, 2)
    w = ins.ty.width
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    kind = name.split(".")[1]
    umax, smax, smin = (1 << w) - 1, (1 << (w - 1)) - 1, 1 << (w - 1)
    if kind == "uadd":
        v = S.If(S.BVAddNoOverflow(a, b, False), a + b, S.BitVecVal(umax, w))
    elif kind == "usub":
        v = S.If(S.UGE(a, b), a - b, S.BitVecVal(0, w))
    else:
        wide = S.SignExt(1, a) + S.SignExt(1, b) if kind == "sadd" else S.SignExt(1, a) - S.SignExt(1, b)
        hi, lo = S.BitVecVal(smax, w + 1), S.BitVecVal((-smin) % (1 << (w + 1)), w + 1)
        v = S.If(wide > hi, S.BitVecVal(smax, w), S.If(wide < lo, S.BitVecVal(smin, w), S.Extract(w - 1, 0, wide)))
    return v, S.And(an, bn)


@intrinsic("llvm.ushl.sat", "llvm.sshl.sat")
def i_shl_sat(ex, st, ins, name):
    """A left shift that saturates instead of losing bits; poison for a shift of the width or more."""
    _int_intrinsic(ins, 2)
    w = ins.ty.width
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    r = a << b
    if name.startswith("llvm.ushl"):
        v = S.If(S.LShR(r, b) == a, r, S.BitVecVal((1 << w) - 1, w))
    else:
        sat = S.If(a < 0, S.BitVecVal(1 << (w - 1), w), S.BitVecVal((1 << (w - 1)) - 1, w))
        v = S.If(r >> b == a, r, sat)
    return v, S.And(an, bn, S.ULT(b, S.BitVecVal(w, w)))


@intrinsic("llvm.scmp", "llvm.ucmp")
def i_three_way_cmp(ex, st, ins, name):
    """-1, 0 or 1 as the first operand is less than, equal to or greater than the second."""
    if ins.ty.kind != "int" or len(ins.ops) != 3 or ins.ops[0].ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    lt = a < b if name.startswith("llvm.scmp") else S.ULT(a, b)
    v = S.If(a == b, S.BitVecVal(0, w), S.If(lt, S.BitVecVal((1 << w) - 1, w), S.BitVecVal(1, w)))
    return v, S.And(an, bn)


# -- C library functions modelled exactly over a bounded prefix (local memory included)
STRING_BOUND = 64   # bytes read exactly by strlen/memcmp models; beyond: an unknown result


def _mem_arrays(st: NodeState) -> list[Any]:
    return [st.NL, st.L]


def _byte_at(ex: Exec, st: NodeState, p, i: int) -> Any:
    return ex.load_bytes(st, mk_ptr(ptr_bid(p), ptr_off(p) + i) if i else p, 1)[0]


def _in_bounds(ex: Exec, st: NodeState, p, i: int) -> Any:
    """Byte i of p can be read: not null, inside a live block."""
    b = ptr_bid(p)
    return S.And(b != 0, S.ULT(S.ZeroExt(8, ptr_off(p)) + i, ex.block_size(b)), ex.alive(st, b))


def _unknown(ex: Exec, st: NodeState, name: str, args: list[Any], w: int) -> Any:
    """A deterministic but unknown result: a function of the arguments and all memory."""
    vals = [*args, *_mem_arrays(st)]
    return ex.sh.uf(f"lib.{name}.unknown", *[v.sort() for v in vals], S.BitVecSort(w))(*vals)


def _bound_for(ex: Exec, p) -> int:
    kb = known_value(ptr_bid(p))
    name = ex.sh.gname.get(kb) if kb is not None else None
    size = ex.sh.gsize.get(name) if name else None
    return max(STRING_BOUND, min(size, 4096)) if size else STRING_BOUND


def _scan_bytes(ex: Exec, st: NodeState, p, n: int, stop: Callable[[Any], Any],
                value: Callable[[int], Any]) -> tuple[list[tuple[Any, Any]], list[Any]]:
    """Read bytes p[0..n) in order until `stop` (of the byte's value) holds, as the C library
    does: UB where a byte it must read is out of bounds.  Returns (reached and stopping at i,
    value(i)) per byte, and the conditions that a byte it must read is poison."""
    reach = S.BoolVal(True)      # every byte before i is non-poison and not a stop
    ub, items, poison = [], [], []
    for i in range(n):
        byte = _byte_at(ex, st, p, i)
        ok, hit = S.Extract(8, 8, byte) == 1, stop(S.Extract(7, 0, byte))
        ub.append(S.And(reach, S.Not(_in_bounds(ex, st, p, i))))
        items.append((S.And(reach, ok, hit), value(i)))
        poison.append(S.And(reach, S.Not(ok)))
        reach = S.And(reach, ok, S.Not(hit))
        if S.is_false(reach):
            break
    ex.add_ub(st, S.Or(S.BoolVal(False), *ub))
    return items, poison


def lib_strlen(ex: Exec, st: NodeState, ins: Inst):
    """strlen(p): the index of the first zero byte.  Exact when it is within the bound; UB
    when a byte it must read is out of bounds (a reachable read: every earlier byte is a
    non-poison non-zero); poison when such a byte is poison; beyond the bound an unknown
    deterministic value."""
    p, pn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Not(pn))
    n = _bound_for(ex, p)
    result = _unknown(ex, st, "strlen", [p], 64)
    items, poison = _scan_bytes(ex, st, p, n, lambda b: b == 0, lambda i: S.BitVecVal(i, 64))
    v = _ite_chain(items, result)
    w = width_of(ins.ty)
    # a poison byte read before the terminator makes the result poison (LLVM folds
    # strlen(p) == 0 to a load of p[0])
    return (S.Extract(w - 1, 0, v) if w < 64 else v), S.Not(S.Or(*poison))


def lib_memchr(ex: Exec, st: NodeState, ins: Inst):
    """memchr(p, c, n) for a constant n within the bound: p + i for the first i < n whose byte is
    (unsigned char)c, else null.  Bytes are read in order and reading stops at the match (C11
    7.24.5.1): UB when a byte it must read is out of bounds; poison when such a byte is poison.
    A variable or larger n, or a local p (the result would be an untracked local address), is
    not modelled."""
    po, co, no = ins.ops[:3]
    if no.kind != "int" or no.value > STRING_BOUND or (po.kind == "ref" and po.key in ex.maybe_local):
        raise Unsupported(f"{ins.text} (memchr of a variable length or local memory)")
    (p, pn), (c, cn) = ex.operand(st, po), ex.operand(st, co)
    ex.add_ub(st, S.Or(S.Not(pn), S.Not(cn)))
    items, poison = _scan_bytes(ex, st, p, no.value, lambda b: b == S.Extract(7, 0, c),
                                lambda i: ex.moved(p, S.BitVecVal(i, 64)))
    return _ite_chain(items, S.BitVecVal(0, PTRW)), S.Not(S.Or(S.BoolVal(False), *poison))


def lib_memcmp(ex: Exec, st: NodeState, ins: Inst):
    """memcmp/bcmp(p, q, n): 0 when the n bytes agree, else for memcmp the sign of the first
    differing (unsigned) byte; the magnitude (and bcmp's non-zero value) is a choice of
    the implementation.  Exact for a constant n within the bound (bytes read must be in
    bounds: UB otherwise; a poison byte makes the result poison); otherwise unknown except
    that equal pointers or n = 0 give 0."""
    name = ins.ops[-1].name
    (p, pn), (q, qn), (n, nn) = (ex.operand(st, o) for o in ins.ops[:3])
    ex.add_ub(st, S.Or(S.Not(pn), S.Not(qn), S.Not(nn)))
    w = width_of(ins.ty)
    # the magnitude is the library's to choose (C: "greater than zero"): a choice of each
    # side per call, the source's resolved angelically
    mag = ex.sh.choice(ex.side, ex.sh.fresh(f"{name}.{ex.side}", w))
    lenop = ins.ops[2]
    if lenop.kind != "int" or lenop.value > STRING_BOUND:
        n64 = n if width_of(lenop.ty) == 64 else S.ZeroExt(64 - width_of(lenop.ty), n)
        _check_range(ex, st, p, pn, n64, 1, write=False)
        _check_range(ex, st, q, qn, n64, 1, write=False)
        v = S.If(S.Or(n64 == 0, p == q), S.BitVecVal(0, w), _unknown(ex, st, name + ".n", [p, q, n], w))
        return v, S.BoolVal(True)
    size = lenop.value
    if size:
        ex.check_access(st, p, pn, size, 1, write=False)
        ex.check_access(st, q, qn, size, 1, write=False)
    pb = ex.load_bytes(st, p, size) if size else []
    qb = ex.load_bytes(st, q, size) if size else []
    poison = S.Or(*[S.Or(S.Extract(8, 8, a) == 0, S.Extract(8, 8, b) == 0) for a, b in zip(pb, qb)]) \
        if size else S.BoolVal(False)
    zero, pos, neg = S.BitVecVal(0, w), S.BoolVal(False), S.BoolVal(False)
    same = S.BoolVal(True)
    for a, b in zip(pb, qb):
        a8, b8 = S.Extract(7, 0, a), S.Extract(7, 0, b)
        pos = S.Or(pos, S.And(same, S.UGT(a8, b8)))
        neg = S.Or(neg, S.And(same, S.ULT(a8, b8)))
        same = S.And(same, a8 == b8)
    if name == "bcmp":
        nz = S.If(mag == 0, S.BitVecVal(1, w), mag)
        v = S.If(same, zero, nz)
    else:
        posv = S.If(mag > 0, mag, S.BitVecVal(1, w))              # signed comparisons
        negv = S.If(mag < 0, mag, S.BitVecVal((1 << w) - 1, w))
        v = S.If(same, zero, S.If(pos, posv, negv))
    v = S.If(S.Or(p == q, size == 0), zero, v)
    return v, S.Or(p == q, size == 0, S.Not(poison))


def lib_ffs(ex: Exec, st: NodeState, ins: Inst):
    """ffs/ffsl/ffsll(x): 0 for 0, else 1 + the index of the lowest set bit (POSIX)."""
    a, an = ex.operand(st, ins.ops[0])
    wa, w = width_of(ins.ops[0].ty), width_of(ins.ty)
    v = S.BitVecVal(0, w)
    for i in reversed(range(wa)):
        v = S.If(S.Extract(i, i, a) == 1, S.BitVecVal(i + 1, w), v)
    return v, an


LIBC_MODELS: dict[str, Callable] = {"strlen": lib_strlen, "memcmp": lib_memcmp, "bcmp": lib_memcmp,
                                    "ffs": lib_ffs, "ffsl": lib_ffs, "ffsll": lib_ffs, "memchr": lib_memchr,
                                    "fabs": lambda ex, st, ins: i_fabs(ex, st, ins, "fabs"),
                                    "fabsf": lambda ex, st, ins: i_fabs(ex, st, ins, "fabsf")}


# -- values made of lanes: vectors and aggregates (value algebra in lanes.py).  Element-wise
# vector operations run the scalar handler on each lane; the rest reads lanes out, moves them
# and their bytes.  Aggregates never hold a local address: inserting or loading one is refused.
LANE_HANDLERS: dict[str, Callable[[Exec, NodeState, Inst], Any]] = {}

_LANEWISE = {"add", "sub", "mul", "and", "or", "xor", "shl", "lshr", "ashr", "udiv", "sdiv", "urem",
             "srem", "icmp", "select", "freeze", "zext", "sext", "trunc", *_FP_OPS}
_LANEWISE_INTRINSICS = ("llvm.smax", "llvm.smin", "llvm.umax", "llvm.umin", "llvm.abs", "llvm.ctpop",
                        "llvm.ctlz", "llvm.cttz", "llvm.bswap", "llvm.bitreverse", "llvm.fshl", "llvm.fshr",
                        "llvm.uadd.sat", "llvm.usub.sat", "llvm.sadd.sat", "llvm.ssub.sat", "llvm.fabs",
                        "llvm.copysign", "llvm.is.fpclass", "llvm.ushl.sat", "llvm.sshl.sat", "llvm.scmp",
                        "llvm.ucmp")
_REDUCTIONS = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b, "and": lambda a, b: a & b,
    "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b,
    "smax": lambda a, b: S.If(a > b, a, b), "smin": lambda a, b: S.If(a < b, a, b),
    "umax": lambda a, b: S.If(S.UGT(a, b), a, b), "umin": lambda a, b: S.If(S.ULT(a, b), a, b),
}


def touches_lanes(ins: Inst) -> bool:
    return lanes.is_multi(ins.ty) or any(lanes.is_multi(o.ty) for o in ins.ops)


def lane_handler(ins: Inst) -> Callable[[Exec, NodeState, Inst], Any] | None:
    """The handler of an instruction with a vector or aggregate operand or result (None:
    unsupported).  Aggregates take part in no arithmetic: only select and freeze go by lane."""
    aggregate = ins.ty.kind == "agg" or any(o.ty.kind == "agg" for o in ins.ops)
    if ins.opcode in _LANEWISE and (not aggregate or ins.opcode in ("select", "freeze")):
        return _lanewise
    return LANE_HANDLERS.get(ins.opcode)


def _lanewise(ex: Exec, st: NodeState, ins: Inst, scalar: Callable | None = None):
    """Run the scalar semantics of `ins` once per lane (LangRef: vector operations are element-wise;
    UB in any lane is UB).  Scalar operands (a select's condition, an immarg flag) are shared."""
    scalar = scalar or HANDLERS[ins.opcode]
    if len({t.lanes for t in [ins.ty, *(o.ty for o in ins.ops)] if lanes.is_multi(t)}) != 1:
        raise Unsupported(ins.text)
    per_op = [(lanes.split(*ex.operand(st, o), o.ty), lanes.leaves(o.ty)) if lanes.is_multi(o.ty) else None
              for o in ins.ops]
    out_tys = lanes.leaves(ins.ty) if lanes.is_multi(ins.ty) else None
    out = []
    try:
        for i in range(len(next(p for p in per_op if p is not None)[0])):
            ops = []
            for j, (o, p) in enumerate(zip(ins.ops, per_op)):
                if p is None:
                    ops.append(o)
                    continue
                st.env[("lane", ins.key, j)] = p[0][i]
                ops.append(Op("ref", p[1][i], key=("lane", ins.key, j)))
            # the lane's own name and index: choices (freeze, undef) are made per lane
            lane = replace(ins, ty=out_tys[i] if out_tys else ins.ty, ops=ops,
                           name=f"{ins.name}.l{i}" if ins.name else "", index=f"{ins.index}.l{i}")
            r = scalar(ex, st, lane)
            if r is None:
                raise Unsupported(ins.text)
            out.append(r)
    finally:
        for j in range(len(ins.ops)):
            st.env.pop(("lane", ins.key, j), None)
    return lanes.join(out)


def _plain_call_args(ins: Inst, name: str) -> bool:
    """No attribute on the call's result or arguments (the lane paths model none)."""
    if _call_ret_attrs(ins, name):
        return False
    for t in call_arg_texts(ins, name):
        first = split_top(t, " ")[1:2]
        if not first or not (first[0][:1] in "%<-0123456789" or first[0] in (
                "splat", "zeroinitializer", "poison", "undef", "true", "false")):
            return False
    return True


_OVERFLOW = {"sadd": (lambda a, b: a + b, lambda a, b: S.Not(S.And(S.BVAddNoOverflow(a, b, True),
                                                                    S.BVAddNoUnderflow(a, b)))),
             "uadd": (lambda a, b: a + b, lambda a, b: S.Not(S.BVAddNoOverflow(a, b, False))),
             "ssub": (lambda a, b: a - b, lambda a, b: S.Not(S.And(S.BVSubNoOverflow(a, b),
                                                                    S.BVSubNoUnderflow(a, b, True)))),
             "usub": (lambda a, b: a - b, lambda a, b: S.Not(S.BVSubNoUnderflow(a, b, False))),
             "smul": (lambda a, b: a * b, lambda a, b: S.Not(S.And(S.BVMulNoOverflow(a, b, True),
                                                                    S.BVMulNoUnderflow(a, b)))),
             "umul": (lambda a, b: a * b, lambda a, b: S.Not(S.BVMulNoOverflow(a, b, False)))}


def _with_overflow(ex: Exec, st: NodeState, ins: Inst, kind: str):
    """`{iN, i1} @llvm.<op>.with.overflow(iN a, iN b)` (or of vectors, lane by lane): the wrapped
    result and whether it overflowed; a poison operand lane poisons both members' lanes."""
    a, b = ins.ops[0], ins.ops[1]
    xs = lanes.split(*ex.operand(st, a), a.ty) if a.ty.kind == "vec" else [ex.operand(st, a)]
    ys = lanes.split(*ex.operand(st, b), b.ty) if b.ty.kind == "vec" else [ex.operand(st, b)]
    value, overflow = _OVERFLOW[kind]
    vals = [(value(x, y), S.And(xn, yn)) for (x, xn), (y, yn) in zip(xs, ys)]
    flags = [(_b2bv(overflow(x, y)), S.And(xn, yn)) for (x, xn), (y, yn) in zip(xs, ys)]
    return lanes.join(vals + flags)


def _lane_call(ex: Exec, st: NodeState, ins: Inst):
    """Intrinsics over vectors (element-wise, reductions, x86 SIMD) and `*.with.overflow`."""
    callee = ins.ops[-1]
    name = callee.name if callee.kind == "global" else ""
    if name and not name.startswith("llvm.") and not any(o.ty.kind == "ptr" for o in ins.ops[:-1]) \
            and not any(t.kind == "ptr" for o in ins.ops[:-1] if lanes.is_multi(o.ty) for t in lanes.leaves(o.ty)):
        return h_call(ex, st, ins)   # an opaque function of lane values (no pointers: no escapes)
    if not name.startswith("llvm.") or "[" in _call_parts(ins)[1] or not _plain_call_args(ins, name):
        raise Unsupported(f"{ins.text} (vector or aggregate values in a call)")
    m = re.fullmatch(r"llvm\.(\w+)\.with\.overflow\.(?:v\d+)?i\d+", name)
    if m and m.group(1) in _OVERFLOW and len(ins.ops) == 3 and ins.ops[0].ty.kind in ("int", "vec"):
        return _with_overflow(ex, st, ins, m.group(1))
    if ins.ty.kind == "agg" or any(o.ty.kind == "agg" for o in ins.ops):
        raise Unsupported(f"{ins.text} (aggregate values in a call)")
    for prefix in _LANEWISE_INTRINSICS:
        if name.startswith(prefix + "."):
            h = INTRINSICS[prefix]
            return _lanewise(ex, st, ins, lambda e, s, lane: h(e, s, lane, name))
    simd = x86.binop(name)
    if simd is not None and len(ins.ops) == 3 and all(t.kind == "vec" for t in (ins.ty, ins.ops[0].ty, ins.ops[1].ty)):
        a, b = (lanes.split(*ex.operand(st, o), o.ty) for o in ins.ops[:2])
        out = simd(a, b, ins.ops[0].ty.elem.width)
        if len(out) != ins.ty.lanes or any(v.size() != ins.ty.elem.width for v, _ in out):
            raise Unsupported(f"{ins.text} (operand shapes)")
        return lanes.join(out)
    m = re.fullmatch(r"llvm\.vector\.reduce\.(\w+)\.v\d+i\d+", name)
    if m and m.group(1) in _REDUCTIONS and len(ins.ops) == 2 and ins.ty.kind == "int":
        ls = lanes.split(*ex.operand(st, ins.ops[0]), ins.ops[0].ty)
        v = ls[0][0]
        for lv, _ in ls[1:]:
            v = _REDUCTIONS[m.group(1)](v, lv)
        return v, S.And(*[n for _, n in ls])   # a poison lane makes the result poison
    raise Unsupported(f"{ins.text} (vector values in a call)")


def _lane_index(ex: Exec, st: NodeState, op: Op, n: int) -> tuple[Any, Any]:
    """(index, in range and not poison) of an element index operand."""
    i, inp = ex.operand(st, op)
    w = op.ty.width
    return i, S.And(inp, S.ULT(i, S.BitVecVal(n, w))) if n < 1 << w else inp


def _h_extractelement(ex: Exec, st: NodeState, ins: Inst):
    vt = ins.ops[0].ty
    if vt.kind != "vec":
        raise Unsupported(ins.text)
    i, ok = _lane_index(ex, st, ins.ops[1], vt.lanes)
    v, n = lanes.pick(i, lanes.split(*ex.operand(st, ins.ops[0]), vt))
    return v, S.And(ok, n)    # an index out of range (or poison) gives poison


def _h_insertelement(ex: Exec, st: NodeState, ins: Inst):
    vt = ins.ty
    if vt.kind != "vec":
        raise Unsupported(ins.text)
    ls = lanes.split(*ex.operand(st, ins.ops[0]), vt)
    e, en = ex.operand(st, ins.ops[1])
    i, ok = _lane_index(ex, st, ins.ops[2], vt.lanes)
    w = i.size()
    out = [(S.If(i == S.BitVecVal(k, w), e, lv), S.And(ok, S.If(i == S.BitVecVal(k, w), en, ln)))
           for k, (lv, ln) in enumerate(ls)]
    return lanes.join(out)   # out of range or poison index: every lane poison


def _h_shufflevector(ex: Exec, st: NodeState, ins: Inst):
    if len(ins.ops) != 3 or ins.ops[2].kind not in ("lanes", "poison", "undef") or ins.ty.kind != "vec":
        raise Unsupported(f"{ins.text} (shuffle mask)")
    a, b = ins.ops[0], ins.ops[1]
    ls = lanes.split(*ex.operand(st, a), a.ty) + lanes.split(*ex.operand(st, b), b.ty)
    mask = ins.ops[2].elems if ins.ops[2].kind == "lanes" else [ins.ops[2]] * ins.ty.lanes
    out = []
    for m in mask:
        if m.kind == "int" and m.value < len(ls):
            out.append(ls[m.value])
        else:   # a poison (or undef) mask element gives a poison lane
            out.append((S.BitVecVal(0, ins.ty.elem.width), S.BoolVal(False)))
    return lanes.join(out)


def _member(ins: Inst, ty: Ty) -> tuple[int, int, Ty]:
    try:
        return lanes.lane_range(ty, ins.indices)
    except (IndexError, TypeError):
        raise Unsupported(ins.text) from None


def _h_extractvalue(ex: Exec, st: NodeState, ins: Inst):
    agg = ins.ops[0]
    if agg.ty.kind != "agg" or not ins.indices:
        raise Unsupported(ins.text)
    lo, hi, _ = _member(ins, agg.ty)
    ls = lanes.split(*ex.operand(st, agg), agg.ty)[lo:hi]
    return ls[0] if not lanes.is_multi(ins.ty) else lanes.join(ls)


def _h_insertvalue(ex: Exec, st: NodeState, ins: Inst):
    agg, val = ins.ops[0], ins.ops[1]
    if ins.ty.kind != "agg" or not ins.indices:
        raise Unsupported(ins.text)
    if val.kind == "ref" and val.key in ex.maybe_local:
        raise Unsupported(f"{ins.text} (a local address into an aggregate)")
    lo, hi, _ = _member(ins, agg.ty)
    ls = lanes.split(*ex.operand(st, agg), agg.ty)
    new = lanes.split(*ex.operand(st, val), val.ty) if lanes.is_multi(val.ty) else [ex.operand(st, val)]
    return lanes.join(ls[:lo] + new + ls[hi:])


def _h_lane_bitcast(ex: Exec, st: NodeState, ins: Inst):
    """Reinterpret the bits as a store and a load would (the lanes' order in memory)."""
    src_t, dst_t = ins.ops[0].ty, ins.ty
    if ins.opcode != "bitcast" or width_of(src_t) != width_of(dst_t) or "agg" in (src_t.kind, dst_t.kind) \
            or "ptr" in (src_t.kind, dst_t.kind):
        raise Unsupported(ins.text)
    bits, ranges = lanes.to_bits(*ex.operand(st, ins.ops[0]), src_t, ex.layout.big_endian)
    return lanes.from_bits(bits, ranges, dst_t, ex.layout.big_endian)


def _lane_access(ex: Exec, ins: Inst, ty: Ty) -> tuple[int, list[int]]:
    """(bytes covered, each lane's offset) of a vector/aggregate load or store; lanes must be
    whole bytes (packed bits are not modelled) and the access plain (no atomic/volatile, no
    metadata that adds poison)."""
    if " atomic " in ins.text or " volatile " in ins.text:
        raise Unsupported(ins.text)
    md = set(re.findall(r"!([\w.]+) !", ins.text)) - {"tbaa", "tbaa.struct", "alias.scope", "noalias",
                                                       "nontemporal", "invariant.group", "llvm.access.group"}
    if md:
        raise Unsupported(f"{ins.text} (access metadata)")
    try:
        return ex.layout.size(ty.text), lanes.byte_offsets(ex.layout, ty)
    except ValueError as e:
        raise Unsupported(f"{ins.text} ({e})") from None


def _h_lane_load(ex: Exec, st: NodeState, ins: Inst):
    ty = ins.ty
    n, offs = _lane_access(ex, ins, ty)
    tys = lanes.leaves(ty)
    if any(t.kind == "ptr" for t in tys) and ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_local:
        raise Unsupported(f"{ins.text} (pointers loaded from local memory)")
    if n == 0:
        return lanes.join([])   # an empty aggregate: no access at all (Alive2)
    p, pn = ex.operand(st, ins.ops[0])
    _checked_access(ex, st, ins.ops[0], p, pn, n, _align(ins, 1), write=False)
    bs = ex.load_bytes(st, p, n)
    out = []
    for t, off in zip(tys, offs):
        chunk = bs[off:off + _nbytes(ex, t)]
        v, np_ = from_bytes(chunk[::-1] if ex.layout.big_endian else chunk, t)
        out.append((nonlocal_ptr(v) if t.kind == "ptr" else v, np_))
    return lanes.join(out)


def _h_lane_store(ex: Exec, st: NodeState, ins: Inst):
    vop, pop = ins.ops
    n, offs = _lane_access(ex, ins, vop.ty)
    if n == 0:
        return None             # storing an empty aggregate does nothing (Alive2)
    if vop.kind == "ref" and vop.key in ex.nocapture and not (pop.kind == "ref" and pop.key in ex.def_local):
        ex.add_ub(st, S.BoolVal(True))   # may capture a `captures(none)` parameter
    v, vn = ex.operand(st, vop)
    p, pn = ex.operand(st, pop)
    _checked_access(ex, st, pop, p, pn, n, _align(ins, 1), write=True)
    data = [S.BitVecVal(0, BYTE)] * n     # padding bytes become poison (as in Alive2)
    for (lv, ln), t, off in zip(lanes.split(v, vn, vop.ty), lanes.leaves(vop.ty), offs):
        b = to_bytes(lv, ln, t, _nbytes(ex, t))
        data[off:off + len(b)] = b[::-1] if ex.layout.big_endian else b
    ex.store_bytes(st, p, data)
    return None


def _h_lane_ret(ex: Exec, st: NodeState, ins: Inst):
    o = ins.ops[0]
    ty = o.ty
    attrs = attr_tokens(ex.fn.ret_attrs)
    if set(attrs) - {"noundef"} - _NOT_ATTRS or any("returned" in attr_tokens(p.attrs) for p in ex.fn.params):
        raise Unsupported(f"{ins.text} (attributes of a vector or aggregate result)")
    if "noreturn" in attr_tokens(ex.fn.fn_attrs):
        ex.add_ub(st, S.BoolVal(True))
    v, n = ex.operand(st, o)
    if o.kind == "ref" and o.key in ex.nocapture:
        n = S.BitVecVal(0, lanes.np_width(ty))      # may return a `captures(none)` pointer: poison (tgt only)
    if "noundef" in attrs:
        if o.kind == "undef" or any(e.kind == "undef" for e in o.elems):
            ex.add_ub(st, S.BoolVal(True))   # LangRef: undef into a noundef return is UB
        ex.add_ub(st, S.Not(lanes.defined(n, ty)))
        n = lanes.all_defined(ty)
    ex.record_return(st, v, n)
    return None


LANE_HANDLERS.update(call=_lane_call, extractelement=_h_extractelement, insertelement=_h_insertelement,
                     shufflevector=_h_shufflevector, extractvalue=_h_extractvalue, insertvalue=_h_insertvalue,
                     bitcast=_h_lane_bitcast, load=_h_lane_load, store=_h_lane_store, ret=_h_lane_ret)
