"""The symbolic executor (Alive2's `tools/transform` + `ir/state` driver): `Exec`.

Runs one function over all paths, block copies ordered by `Unrolling` (Alive2's per-loop
unrolling), merging incoming states with if-then-else, dispatching each instruction to its
handler (handlers/) and collecting UB, no-return, sink and return terms into an
`Encoding`.  It also owns the stateful part of the memory model (block sizes, addresses,
liveness, access checks) and replaces loops by summaries when the check layer asks
(identical loops: loops.py; paired changed loops: lockstep.py).

Encoding (see docs/validator.md for the full model and its approximations):
- an integer is a bit-vector of its width; i1 is a 1-bit vector;
- pointers and memory: see memory.py;
- loops: the CFG's DFS back edges are counted; an execution that would take more than
  `unroll` back edges goes to the sink and is excluded;
- calls to non-intrinsics are uninterpreted functions of (callee, arguments, the non-local
  memory they may read), giving result, UB, no-return and new memory; equal inputs give
  equal outputs in src and tgt (Alive2's rule).
Nothing here knows it is part of a refinement query, and the executor never calls the
solver: its one question about a path goes to the check layer's `Reachability`.
"""
from __future__ import annotations

import heapq
import re
from functools import cached_property
from typing import Any, Protocol

from lazycc.validator import lanes
from lazycc.validator import smt as S
from lazycc.validator.analysis import (after_free, dfs_order, final_stores, heap_escape_ok, heap_sites,
                                       lifetime_started, local_origins, local_taint, may_carry_nocapture, must_based,
                                       must_carry_nocapture)
from lazycc.validator.attributes import (access_forbidden, argmem_effects, attr_tokens, inst_flags, memory_effects,
                                         param_attrs)
from lazycc.validator.handlers import FAST_MATH, HANDLERS, lane_handler, touches_lanes
from lazycc.ir.model import Function, Inst, Module, Op
from lazycc.ir.attrs import split_top
from lazycc.ir.layout import Layout
from lazycc.validator.lockstep import summarise as lockstep_summarise
from lazycc.validator.loops import analyse, loop_bodies, predecessors
from lazycc.validator.loops import summarise as loop_summarise
from lazycc.validator.memory import (BYTE, LIVE_OFF, OFFW, PTRW, aligned, is_local_bid, ite_chain,
                                     known_value, locality, mk_ptr, nonlocal_ptr, or_all, ptr_bid, ptr_off,
                                     width_of)
from lazycc.validator.shared import Shared
from lazycc.validator.state import Encoding, NodeState, TraceEntry, Unsupported


class Reachability(Protocol):
    """What the executor may ask while encoding: can some input satisfy `cond` (True if unsure)?

    Only for precision (an indirect call on a path no input takes is dropped, not refused).
    The check layer owns the implementation and its budget (refine.SolverReachability)."""

    def may_reach(self, cond: Any) -> bool: ...


# ---------------------------------------------------------------- executor


class Exec:
    def __init__(self, fn: Function, mod: Module, shared: Shared, side: str, unroll: int, reach: Reachability):
        self.fn, self.mod, self.sh, self.side, self.unroll = fn, mod, shared, side, unroll
        # The one question encoding may ask about a path (see Reachability): owned and answered
        # by the check layer (refine.SolverReachability); the executor itself never calls the solver.
        self.reach = reach
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
        # Which allocas a local pointer may point into, which hold local addresses, and whose
        # addresses are stored: a call passed a local address (`captures(none)`) reaches that
        # block only when it holds none (call.LocalArgs).
        self.local_org, self.local_holders, self.local_stored = local_origins(fn, self.maybe_local)
        self.ret_states: list[tuple[Any, Any, dict]] = []   # (pc, L, alive) at each return
        self.after_free = after_free(fn, mod, self.maybe_local)   # instructions a freeing call may precede
        self.may_free = bool(self.after_free)
        self.cur_key = None                       # the instruction being executed
        self.args_in: list[tuple[Any, Any]] = []  # the parameters' (value, non-poison), set by run()
        self.nocapture = may_carry_nocapture(fn, mod) if side == "tgt" else set()
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
        self.starts_dead: set[int] = lifetime_started(fn)
        # Loops summarised instead of unrolled (header key -> loops.Loop); set by the
        # refinement check for loops that are identical on both sides.
        self.abstract: dict[int, Any] = {}
        self.pre: Any = S.BoolVal(True)
        # Facts about block addresses (true of every real execution): see addr_of.
        self.addr_facts: list[Any] = []
        self.local_align: dict[int, int] = {}
        self._bases: dict[tuple, tuple[Any, Any]] = {}   # block_base memo (facts recorded once)
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
        _, back = dfs_order(self.fn)
        return analyse(self.fn, self.mod, back, self.maybe_local, set(HANDLERS))

    def path_feasible(self, st: NodeState) -> bool:
        """False only if no input reaches `st` (True if unsure): the path condition is false by
        construction, or the check layer's `reach` shows it unsatisfiable under the precondition."""
        if S.const_false(st.pc):
            return False
        return self.reach.may_reach(S.And(self.pre, *self.addr_facts, st.pc))

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

    def summary_effects(self, st: NodeState, name: str, sorts, vals, exits: bool) -> bool:
        """A summarised region's UB, non-return and (when it `exits`) its memory afterwards, as
        uninterpreted functions of its inputs (the loop and lockstep summaries); False when the
        region never exits (then nothing follows it)."""
        self.add_ub(st, self.sh.uf(f"{name}.ub", *sorts, S.BoolSort())(*vals))
        if not exits:
            self.add_noret(st, S.BoolVal(True))
            return False
        self.add_noret(st, self.sh.uf(f"{name}.noret", *sorts, S.BoolSort())(*vals))
        st.NL = self.sh.uf(f"{name}.mem", *sorts, S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))(*vals)
        return True

    def other_undef(self, v: Any) -> Any:
        """`v` with each undef constant it is built from replaced by a fresh value: another
        member of the set of values an undef-dependent `v` stands for (the same term if it
        depends on none).  The fresh values are the source's choices on the source side."""
        us = self.sh.undefs[self.side]
        if not us:
            return v
        pairs = [(u, self.sh.choice(self.side, self.sh.fresh(f"undef2.{self.side}", S.width(u)))) for u in us]
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
            k = sum(1 for x in self.sh.undefs[self.side] if S.width(x) == w)
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
            m = re.fullmatch(r"ptr inttoptr \(i(\d+) (-?\d+) to ptr\)", op.name.strip())
            if m and int(m.group(2)) % (1 << int(m.group(1))) % (1 << PTRW) != 0:
                # as the instruction (handlers.pointer.h_ptrcast): an unknown non-local object
                # whose address is the integer (zero-extended or truncated to 64 bits)
                v = S.BitVecVal(int(m.group(2)) % (1 << int(m.group(1))) % (1 << PTRW), PTRW)
                p = nonlocal_ptr(self.sh.uf("inttoptr", S.BitVecSort(PTRW), S.BitVecSort(PTRW))(v))
                self.addr_facts.append(self.addr_of(p) == v)
                return p, S.BoolVal(True)
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
        key = (S.term_id(b), tuple(sorted(self.local_sizes.items())),
               tuple((k, S.term_id(v)) for k, v in sorted(self.heap_sizes.items())))
        hit = cache.get(key)
        if hit is not None and S.identical(hit[0], b):
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
            return ite_chain(items, self.sh.blksize(b))
        for bid, size in self.local_sizes.items():
            items.append((b == bid, S.BitVecVal(size, 64)))
        items += [(b == bid, size) for bid, size in self.heap_sizes.items()]
        default = S.If(is_local_bid(b), S.BitVecVal(0, 64), self.sh.blksize(b))
        return ite_chain(items, default)

    def alive(self, st: NodeState, b) -> Any:
        bc = known_value(b)
        if bc is not None:
            if bc < 128:
                return self.nonlocal_alive(st, b)
            return st.alive.get(bc, S.BoolVal(False))
        if S.is_false(locality(b)):
            return self.nonlocal_alive(st, b)
        items = [(b == bid, a) for bid, a in st.alive.items()]
        return S.If(is_local_bid(b), ite_chain(items, S.BoolVal(False)), self.nonlocal_alive(st, b))

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
        key = (S.term_id(b), tuple(sorted(self.local_align.items())), tuple(sorted(self.heap_ok)))
        hit = self._bases.get(key)
        if hit is not None and S.identical(hit[0], b):
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
            ret_val = ite_chain([(c, v) for c, v, _, _ in self.rets[:-1]], self.rets[-1][1])
            ret_np = ite_chain([(c, n) for c, _, n, _ in self.rets[:-1]], self.rets[-1][2])
        mem = (ite_chain([(c, m) for c, _, _, m in self.rets[:-1]], self.rets[-1][3])
               if self.rets else self.sh.mem0)
        esc = self.escape_terms
        escape_mem = ite_chain([(c, m) for c, m in esc[:-1]], esc[-1][1]) if esc else None
        heap_alive, heap_mem = {}, None
        if self.heap_sizes and self.ret_states:
            rs = self.ret_states
            heap_mem = ite_chain([(c, m) for c, m, _ in rs[:-1]], rs[-1][1])
            for bid in self.heap_sizes:
                heap_alive[bid] = ite_chain([(c, a.get(bid, S.BoolVal(False))) for c, _, a in rs[:-1]],
                                             rs[-1][2].get(bid, S.BoolVal(False)))
        return Encoding(fn, or_all(self.ub_terms), or_all([c for c, *_ in self.rets]), or_all(self.noret_terms),
                        or_all(self.sink_terms), ret_val, ret_np, mem, args, self.trace,
                        S.And(*pre, *self.addr_facts), bool(self.sink_terms),
                        or_all([c for c, _ in esc]), escape_mem, dict(self.heap_sizes), heap_alive, heap_mem,
                        frozenset(self.heap_escape), {b: self.local_align[b] for b in self.heap_sizes})

    def leave_summary(self, st: NodeState, lp, name: str, sorts, vals) -> None:
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

    def fork(self) -> "Exec":
        """A fresh executor of the same function, pair and bound (lockstep's one-iteration runs)."""
        return Exec(self.fn, self.mod, self.sh, self.side, self.unroll, self.reach)

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
            # in the first state's (program) order: value keys are addresses, so a set's
            # order would differ per process and so would the terms z3 builds and meters
            keys = [kk for kk in states[0].env if all(kk in s.env for s in states[1:])]
            env = {}
            for kk in keys:
                vals = [s.env[kk] for s in states]
                if all(S.same(vals[0][0], v[0]) and S.same(vals[0][1], v[1]) for v in vals[1:]):
                    env[kk] = vals[0]
                else:
                    env[kk] = (ite_chain(list(zip(pcs[:-1], [v[0] for v in vals[:-1]])), vals[-1][0]),
                               ite_chain(list(zip(pcs[:-1], [v[1] for v in vals[:-1]])), vals[-1][1]))
            NL = ite_chain(list(zip(pcs[:-1], [s.NL for s in states[:-1]])), states[-1].NL)
            L = ite_chain(list(zip(pcs[:-1], [s.L for s in states[:-1]])), states[-1].L)
            alive = {}
            for bid in set().union(*[s.alive for s in states]):
                vals = [s.alive.get(bid, S.BoolVal(False)) for s in states]
                alive[bid] = ite_chain(list(zip(pcs[:-1], vals[:-1])), vals[-1])
        # Phis read the incoming edge's values, all "at once".
        phis = {}
        for ins in blk.insts:
            if ins.opcode != "phi":
                break
            if self.side == "tgt" and inst_flags(ins) & FAST_MATH:
                raise Unsupported(ins.text + " (fast-math flags)")
            items = []
            for c, s in inc:
                try:
                    i = ins.incoming.index(s.block_key)
                except ValueError:
                    raise Unsupported("phi without an entry for a predecessor") from None
                items.append((c, self.operand(s, ins.ops[i])))
            v = ite_chain([(c, x[0]) for c, x in items[:-1]], items[-1][1][0])
            n = ite_chain([(c, x[1]) for c, x in items[:-1]], items[-1][1][1])
            phis[ins.key] = (v, n)
            self.trace.append(TraceEntry(ins, k, pc, v, n))
        env.update(phis)
        st = NodeState(pc, env, NL, L, alive, k, blk.key)
        ls = self.lockstep.get(blk.key)
        if ls is not None and not peeled:
            lockstep_summarise(self, st, *ls)
            return
        lp = self.abstract.get(blk.key)
        if lp is not None:
            loop_summarise(self, st, lp)
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


class Unrolling:
    """Alive2's per-loop unrolling (`-src-unroll=K -tgt-unroll=K`), without copying blocks.

    Each loop (a DFS back edge's header with the blocks that reach the edge's source without
    passing the header) has its own counter of back edges taken since the loop was entered;
    the counter is dropped when the execution leaves the loop, so an inner loop counts anew on
    every outer iteration.  A back edge that would take a loop's counter past K goes to the
    sink.  The copies (block, counters) form a DAG (every CFG cycle crosses a back edge whose
    counter it never drops), executed in a topological order."""

    def __init__(self, fn: Function, unroll: int):
        self.order, self.back = dfs_order(fn)
        self.unroll = unroll
        self.pos = {b: i for i, b in enumerate(self.order)}
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
