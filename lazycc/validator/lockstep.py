"""Inductive (lockstep) check of a loop that contains the change.

A loop changed by the rewrite cannot be summarised as an identical loop
(loops.py); unrolling it only covers `unroll` iterations.  When the src and
tgt loops have the same interface -- top-level, same header phis (by position
and type), same number of exits and of values used after the loop -- we pair
them and prove ONE iteration of the tgt loop refines one iteration of the src
loop from any related header state:

    R(src, tgt) :=  header phis equal (value and poison bit, position by position);
                    non-local memory equal (the whole array); local memory arbitrary
                    on each side; block liveness as at the loop entry on each side.

    for all R-related header states, in every context where both loops are
    entered (inputs = the values of outside SSA values at the entries):
      no src UB  ->  no tgt UB, same no-return, back edge taken on both or on
                     neither (then R holds again for the phi values, memory and
                     liveness on the back edges), the same exit i taken (then
                     every output refines, memory is equal, liveness as at entry).

By induction both loops then run in lockstep and their whole executions are
related; both are replaced by one shared summary (`summarise`, at the end of this module).
The argument, including non-termination, UB and local memory, is in
docs/validator.md ("Lockstep loops").  Any failure (pairing, unsupported
instruction, inner loop cut by the bound, SAT or unknown) returns False and
the caller falls back to the unrolled check: we never claim correct on it.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lazycc.validator import smt as S
from lazycc.validator.analysis import dfs_order
from lazycc.validator.memory import BYTE, OFFW, PTRW, in_blocks, ite_chain, mk_ptr, or_all, ptr_bid, width_of
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor calls summarise(), _Step forks an executor
    from lazycc.validator.executor import Exec

OUT_KINDS = ("int", "ptr", "half", "bfloat", "float", "double", "x86_fp80", "fp128")


def _fit(x: Exec, lp) -> str:
    """Why loop `lp` of executor `x` cannot take part in a lockstep pair ('' if it can)."""
    if lp.parent is not None:
        return "nested loop"                    # entered more than once per execution
    if not lp.exits and lp.why:
        return lp.why
    if lp.why in ("loop blocks not reachable from header", "unknown input"):
        return lp.why
    blocks = {b.key: b for b in x.fn.blocks}
    for k in lp.blocks:
        for ins in blocks[k].insts:
            if ins.opcode == "alloca":
                return "alloca in loop"
            # deterministic loops only (the summary is a function of its inputs)
            if ins.opcode == "freeze" or any(o.kind == "undef" for o in ins.ops) or re.search(r"\bundef\b",
                                                                                               ins.text):
                return "freeze or undef in loop"
    for v in list(lp.header_phis) + list(lp.outputs):
        if v.key in x.maybe_local:
            return "loop-carried or output value may be a local address"
        if v.ty.kind not in OUT_KINDS:
            return f"loop value of type {v.ty}"
    return ""


def pair_loops(xs: Exec, ls: list, xt: Exec, lt: list) -> list[tuple[Any, Any, str]]:
    """Top-level loops not summarised as identical, paired by position (header order)."""
    order_s = {k: i for i, k in enumerate(dfs_order(xs.fn)[0])}
    order_t = {k: i for i, k in enumerate(dfs_order(xt.fn)[0])}
    cs = sorted([lp for lp in ls if lp.parent is None and lp.header not in xs.abstract],
                key=lambda lp: order_s.get(lp.header, 1 << 30))
    ct = sorted([lp for lp in lt if lp.parent is None and lp.header not in xt.abstract],
                key=lambda lp: order_t.get(lp.header, 1 << 30))
    if len(cs) != len(ct):
        return []
    out = []
    for i, (a, b) in enumerate(zip(cs, ct)):
        if _fit(xs, a) or _fit(xt, b):
            continue
        if ([str(p.ty) for p in a.header_phis] != [str(p.ty) for p in b.header_phis]
                or len(a.exits) != len(b.exits)
                or [str(o.ty) for o in a.outputs] != [str(o.ty) for o in b.outputs]):
            continue
        out.append((a, b, f"p{i}"))
    return out


class _Step:
    """One iteration of one side's loop from a given header state."""

    def __init__(self, x: Exec, lp, entry: NodeState, phis: list[tuple[Any, Any]], NL: Any, tag: str, pre: Any,
                 Jarr: Any = None, J: tuple = (), K: tuple = ()):
        e = x.fork()
        e.abstract = dict(x.abstract)          # inner loops identical on both sides stay summarised
        e.local_sizes = dict(x.local_sizes)
        e.local_align = dict(x.local_align)
        e.next_local = x.next_local
        e.pre = pre
        env = dict(entry.env)
        for p, val in zip(lp.header_phis, phis):
            env[p.key] = val
        L = S.Array(f"{tag}.L", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
        if J or K:
            # header local memory: related blocks J from the array shared with the other
            # side, kept blocks K as at this side's entry, everything else arbitrary
            a = S.BitVec(f"{tag}.La", PTRW)
            L = S.Lambda([a], S.If(in_blocks(a, J), S.Select(Jarr, a),
                                   S.If(in_blocks(a, K), S.Select(entry.L, a), S.Select(L, a))))
        alive = dict(entry.alive)              # invariant: as at the entry (checked below)
        e.run_step(lp, NodeState(S.BoolVal(True), env, NL, L, alive, (), lp.header))
        self.ex, self.lp = e, lp
        self.ub = or_all(e.ub_terms)
        self.noret = or_all(e.noret_terms)
        self.sink = or_all(e.sink_terms)
        self.back_pc = or_all([c for c, _ in e.step_back])
        self.back_phis: list[tuple[Any, Any]] = []
        if e.step_back:
            pcs = [c for c, _ in e.step_back]
            for p in lp.header_phis:
                vals = []
                for _, st in e.step_back:
                    try:
                        i = p.incoming.index(st.block_key)
                    except ValueError:
                        raise Unsupported("lockstep: header phi without an entry for a latch") from None
                    vals.append(e.operand(st, p.ops[i]))
                self.back_phis.append(_merge(pcs, vals))
            self.back_mem = ite_chain(list(zip(pcs[:-1], [st.NL for _, st in e.step_back[:-1]])),
                                       e.step_back[-1][1].NL)
            self.back_L = ite_chain(list(zip(pcs[:-1], [st.L for _, st in e.step_back[:-1]])),
                                     e.step_back[-1][1].L)
        self.entry_L = entry.L
        # block liveness must be what it was at the entry on every back edge and exit
        self.alive_bad = or_all([S.And(c, S.Not(_alive_same(entry.alive, st.alive)))
                              for c, st in e.step_back] +
                             [S.And(c, S.Not(_alive_same(entry.alive, st.alive))) for _, c, st in e.step_exits])
        self.exit_pc, self.exit_outs, self.exit_mem, self.exit_L = [], [], [], []
        for i in range(len(lp.exits)):
            sts = [(c, st) for j, c, st in e.step_exits if j == i]
            self.exit_pc.append(or_all([c for c, _ in sts]))
            if not sts:
                self.exit_outs.append(None)
                self.exit_mem.append(None)
                self.exit_L.append(None)
                continue
            pcs = [c for c, _ in sts]
            outs = []
            for o in lp.outputs:
                vals = []
                for _, st in sts:
                    if o.key not in st.env:
                        raise Unsupported("lockstep: loop output not available at an exit")
                    vals.append(st.env[o.key])
                outs.append(_merge(pcs, vals))
            self.exit_outs.append(outs)
            self.exit_mem.append(ite_chain(list(zip(pcs[:-1], [st.NL for _, st in sts[:-1]])), sts[-1][1].NL))
            self.exit_L.append(ite_chain(list(zip(pcs[:-1], [st.L for _, st in sts[:-1]])), sts[-1][1].L))


def _alive_same(a: dict, b: dict) -> Any:
    keys = set(a) | set(b)
    return S.And(S.BoolVal(True), *[a.get(k, S.BoolVal(False)) == b.get(k, S.BoolVal(False)) for k in keys])


def _merge(pcs: list[Any], vals: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    return (ite_chain(list(zip(pcs[:-1], [v for v, _ in vals[:-1]])), vals[-1][0]),
            ite_chain(list(zip(pcs[:-1], [n for _, n in vals[:-1]])), vals[-1][1]))


def _refines(s: tuple[Any, Any], t: tuple[Any, Any]) -> Any:
    """tgt value refines src value (src poison: anything)."""
    return S.Or(S.Not(s[1]), S.And(t[1], s[0] == t[0]))


def prove_step(xs: Exec, xt: Exec, lp_s, lp_t, pid: str, timeout_ms: int) -> tuple[bool, str, list | None]:
    """The inductive step for every pair of recorded entries.  (proved?, why not, smaller J to retry with)."""
    ents_s, ents_t = xs.lock_entries.get(pid, []), xt.lock_entries.get(pid, [])
    if len(ents_s) * len(ents_t) > 4:
        return False, "too many loop entries", None
    J = list(xs.lock_J.get(pid, []))
    ubs = xs.lock_ub_before.get(pid, [])
    for n, ((es, ub), et) in enumerate((a, b) for a in zip(ents_s, ubs) for b in ents_t):
        ok, why, J2 = _prove_one(xs, xt, lp_s, lp_t, es, et, f"ls.{pid}.{n}", timeout_ms, J, ub)
        if not ok:
            return False, why, J2
    return True, "", None


def _blocks_ok(J: list, xs: Exec, xt: Exec, es: NodeState, et: NodeState) -> list:
    """The J blocks that exist (allocated before the loop) with the same size on both sides."""
    return [(b, n) for b, n in J if xs.local_sizes.get(b) == n == xt.local_sizes.get(b)
            and b in es.alive and b in et.alive]


def _prove_one(xs, xt, lp_s, lp_t, ent_s: NodeState, ent_t: NodeState, tag: str, timeout_ms: int, J: list,
               src_ub_before: Any):
    # the context: both entries reached, and src has had no UB before its entry (an execution
    # where it has is UB as a whole: nothing to prove)
    ctx = S.And(xs.pre, xt.pre, *xs.addr_facts, *xt.addr_facts, ent_s.pc, ent_t.pc, S.Not(src_ub_before))
    J0 = J
    J = _blocks_ok(J, xs, xt, ent_s, ent_t)
    if J != J0:
        return False, "related local blocks differ", J
    Jb = [b for b, _ in J]
    # kept blocks (Houdini): start with every other block allocated at the entry; drop
    # those an iteration may change; the final query re-checks all that remain.
    peel = tag.split(".")[1] in xs.lock_peel
    Ks = sorted(b for b in ent_s.alive if b not in Jb) if peel else []
    Kt = sorted(b for b in ent_t.alive if b not in Jb) if peel else []
    # R: equal header phis (value and poison bit), equal non-local memory, equal bytes of the
    # related local blocks J; per side, the kept blocks K hold their bytes of the entry.
    # (Refinement instead of equality would be unprovable as soon as a value reaches a
    # call or memory: calls are arbitrary functions of their inputs in our model.)
    phis = [(S.BitVec(f"{tag}.phi{j}", width_of(p.ty)), S.Bool(f"{tag}.phi{j}.np"))
            for j, p in enumerate(lp_s.header_phis)]
    NL = S.Array(f"{tag}.NL", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
    Jarr = S.Array(f"{tag}.J", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
    addr = S.BitVec(f"{tag}.addr", PTRW)
    for _round in range(4):
        try:
            ss = _Step(xs, lp_s, ent_s, phis, NL, tag + ".s", ctx, Jarr, tuple(Jb), tuple(Ks))
            st = _Step(xt, lp_t, ent_t, phis, NL, tag + ".t", ctx, Jarr, tuple(Jb), tuple(Kt))
            ctx = S.And(ctx, *ss.ex.addr_facts, *st.ex.addr_facts)  # true of every placement
        except Unsupported as e:
            return False, f"step: {e}", None
        except (ValueError, IndexError, KeyError, AttributeError) as e:
            return False, f"step internal: {type(e).__name__}: {e}", None
        if ss.ex.sink_terms or st.ex.sink_terms:
            return False, "inner loop cut by the unroll bound", None
        local = {}                          # obligation per related/kept block
        for b in Jb:
            parts = []
            if ss.ex.step_back and st.ex.step_back:
                parts.append(S.And(ss.back_pc, S.Select(ss.back_L, addr) != S.Select(st.back_L, addr)))
            for i in range(len(lp_s.exits)):
                if ss.exit_L[i] is not None and st.exit_L[i] is not None:
                    parts.append(S.And(ss.exit_pc[i], S.Select(ss.exit_L[i], addr) != S.Select(st.exit_L[i], addr)))
            local[("J", b)] = S.And(ptr_bid(addr) == b, or_all(parts))
        for side, x, K in (("s", ss, Ks), ("t", st, Kt)):
            for b in K:
                if x.ex.step_back:
                    local[(side, b)] = S.And(ptr_bid(addr) == b, x.back_pc,
                                             S.Select(x.back_L, addr) != S.Select(x.entry_L, addr))
        if not local:
            break
        base = S.And(ctx, S.Not(ss.ub))
        failed = [key for key, ob in local.items()
                  if S.check(S.And(base, ob), timeout_ms).result is not S.SolverResult.UNSAT]
        if not failed:
            break
        if any(k[0] == "J" for k in failed):
            return False, "related local block changes differently", [(b, n) for b, n in J
                                                                       if ("J", b) not in failed]
        Ks = [b for b in Ks if ("s", b) not in failed]
        Kt = [b for b in Kt if ("t", b) not in failed]
    else:
        return False, "kept local blocks did not stabilise", None
    names = ["tgt UB", "no-return differs", "back edge differs", "src liveness not invariant",
             "tgt liveness not invariant", "local blocks"]
    bad = [st.ub, ss.noret != st.noret, ss.back_pc != st.back_pc, ss.alive_bad, st.alive_bad,
           or_all(list(local.values()))]
    if ss.ex.step_back:
        if not st.ex.step_back:
            return False, "tgt has no back edge", None
        names.append("back-edge state")
        bad.append(S.And(ss.back_pc, S.Or(*[S.Or(a[0] != b[0], a[1] != b[1])
                                            for a, b in zip(ss.back_phis, st.back_phis)],
                                          S.Select(ss.back_mem, addr) != S.Select(st.back_mem, addr))))
    for i in range(len(lp_s.exits)):
        names.append(f"exit {i} differs")
        bad.append(ss.exit_pc[i] != st.exit_pc[i])
        if ss.exit_outs[i] is None:
            continue
        if st.exit_outs[i] is None:
            return False, f"tgt never takes exit {i}", None
        names.append(f"exit {i} state")
        bad.append(S.And(ss.exit_pc[i], S.Or(S.BoolVal(False),
                                             *[S.Not(_refines(a, b)) for a, b in zip(ss.exit_outs[i],
                                                                                     st.exit_outs[i])],
                                             S.Select(ss.exit_mem[i], addr) != S.Select(st.exit_mem[i], addr))))
    q = S.And(ctx, S.Not(ss.ub), S.Or(*bad))
    a = S.check(q, timeout_ms)
    if a.result is S.SolverResult.UNSAT:
        return True, "", None
    why = f"inductive step not proved ({a.result.name})"
    if a.result is S.SolverResult.SAT:
        for nm, b in zip(names, bad):
            a2 = S.check(S.And(ctx, S.Not(ss.ub), b), timeout_ms)
            if a2.result is S.SolverResult.SAT:
                why += f": {nm}"
                break
    return False, why, None


# ---------------------------------------------------------------- the summary (executor side)


def summarise(ex: Exec, st: NodeState, lp, pid: str) -> None:
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
    ex.lock_entries.setdefault(pid, []).append(
        NodeState(st.pc, dict(st.env), st.NL, st.L, dict(st.alive), st.k, st.block_key))
    # UB of this side up to the entry (every UB term recorded so far lies on a path that
    # reaches this point earlier or on another path): the step may assume no src UB there
    ex.lock_ub_before.setdefault(pid, []).append(or_all(list(ex.ub_terms)))
    vals, sorts = [], []
    for p in lp.header_phis:
        v, n = st.env[p.key]
        vals += [v, n]
        sorts += [S.sort_of(v), S.BoolSort()]
    vals.append(st.NL)
    sorts.append(S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))
    if ex.lock_peel and pid not in ex.lock_J:
        # candidate related blocks: those allocated before the loop (the first side to get
        # here decides; the proof drops blocks that differ and the check is redone)
        J, tot = [], 0
        for b in sorted(st.alive):
            n = ex.local_sizes.get(b, 0)
            if 0 < n and tot + n <= 256:
                J.append((b, n))
                tot += n
        ex.lock_J[pid] = J
    J = ex.lock_J.get(pid, [])
    for bid, size in J:               # related local bytes are inputs too
        for off in range(size):
            vals.append(S.select(st.L, mk_ptr(S.BitVecVal(bid, 8), S.BitVecVal(off, OFFW))))
            sorts.append(S.BitVecSort(BYTE))
    name = f"lockstep.{pid}"
    if not ex.summary_effects(st, name, sorts, vals, bool(lp.exits)):
        return
    n_ent = len(ex.lock_entries[pid])
    fresh = S.Array(f"{name}.L.{ex.side}.{n_ent}", S.BitVecSort(PTRW), S.BitVecSort(BYTE))
    if J:
        # related blocks: a shared function of the inputs; other local bytes: havoc
        Lout = ex.sh.uf(f"{name}.Lrel", *sorts, S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))(*vals)
        a = S.BitVec(f"{name}.La", PTRW)
        st.L = S.Lambda([a], S.If(in_blocks(a, [b for b, _ in J]), S.Select(Lout, a), S.Select(fresh, a)))
    else:
        st.L = fresh
    # block liveness is unchanged: the lockstep proof shows it is loop-invariant
    ex.leave_summary(st, lp, name, sorts, vals)
