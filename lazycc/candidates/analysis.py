"""The candidate analysis proper: module preparation, candidate discovery,
safety verdicts and profitability features. See lazycc/candidates/__init__.py."""
from __future__ import annotations

import heapq
import re
from types import MappingProxyType

from lazycc.candidates import (BAD_PARAM_ATTRS, DEFERRABLE, NOT_WORTH, CandidateSite, SitePlan, site_id)
from lazycc.candidates.effects import Effects, Footprint, conflicts, parse_memory, writes
from lazycc.ir.text import (LOCAL_RE, PHI_ENTRY, Block, Function, FunctionIndex, Inst, Module,
                            parse_module, parse_select, strip_metadata)
from lazycc.ir.attrs import matching_paren, tokenize_attrs
from lazycc.ir.edit import add_fn_attr, strip_fn_attr
from lazycc.ir.model import ValueTypes
from lazycc.ir import cfg, pipeline_text, run_opt

PIPELINE = {"1": "O1", "2": "O2", "3": "O3", "s": "Os", "z": "Oz"}


# ---------------------------------------------------------------------------
# Preparation
# ---------------------------------------------------------------------------

def _strip_optnone(text: str) -> str:
    """The analysis copy without `optnone` (on define lines and attribute groups), so the
    simplification passes run on -O0 bodies too."""
    return strip_fn_attr(text, "optnone")


def mustprogress_functions(mod: Module) -> set[str]:
    """Functions that may be marked `mustprogress` under C11 6.8.5p6 (see lazification.md §4):
    read-only and nounwind (per LLVM), every loop back edge carries llvm.loop.mustprogress,
    not recursive, and every callee either qualifies too or is already willreturn."""
    calls: dict[str, set[str]] = {}
    ok: set[str] = set()
    for f in mod.functions.values():
        if f.is_decl or not f.blocks:
            continue
        attrs = mod.fn_attrs(f)
        if "mustprogress" in attrs or "willreturn" in attrs:
            continue
        mem = parse_memory(attrs)
        if mem is None or any(writes(k) for k in mem.values()) or "nounwind" not in attrs:
            continue
        good = True
        idx = FunctionIndex(f)
        for (u, _v) in idx.back_edges:
            m = re.search(r'!llvm\.loop (!\d+)', idx.block(u).terminator.text)
            if not m or not mod.loop_mustprogress(m.group(1)):
                good = False
                break
        callees = set()
        for i in f.instructions():
            if i.opcode in ("call", "invoke", "callbr"):
                if i.call is None or i.call.callee is None:
                    good = False
                    break
                callees.add(i.call.callee)
        if good:
            ok.add(f.name)
            calls[f.name] = callees
    changed = True
    while changed:
        changed = False
        for f in sorted(ok):
            for c in calls[f]:
                if c == f:
                    bad = True
                elif c in ok:
                    bad = False
                else:
                    cf = mod.functions.get(c)
                    bad = cf is None or "willreturn" not in mod.fn_attrs(cf)
                if bad:
                    ok.discard(f)
                    changed = True
                    break
    # recursion through other qualifying functions: drop members of call cycles
    def reaches(src: str, dst: str) -> bool:
        seen, work = set(), list(calls.get(src, ()))
        while work:
            x = work.pop()
            if x == dst:
                return True
            if x in seen or x not in ok:
                continue
            seen.add(x)
            work.extend(calls.get(x, ()))
        return False
    return {f for f in ok if not reaches(f, f)}


# Function attributes we take from LLVM's inference (on a simplified analysis copy).
INFERRED = re.compile(r'^(memory\(.*\)|nounwind|willreturn|nosync|nofree|norecurse|mustprogress|readnone|readonly)$')
ANALYSIS_PASSES = "inferattrs,function(sroa,early-cse<memssa>,instcombine<no-verify-fixpoint>,simplifycfg),function-attrs"


def transplant_attrs(text: str, analysed: str) -> str:
    """Give each function of `text` the inferred attributes it has in `analysed`.

    `analysed` is the same module after semantics-preserving, intraprocedural
    simplification plus function-attrs, so its facts hold for `text` too; the
    validator sees them on the module we rewrite."""
    src = parse_module(text)
    ana = parse_module(analysed)
    next_id = max([int(g[1:]) for g in src.attr_groups] + [0]) + 1
    new_groups: dict[tuple, int] = {}
    lines = list(src.lines)
    for f in src.functions.values():
        a = ana.functions.get(f.name)
        if a is None:
            continue
        old = src.fn_attrs(f)
        inferred = [t for t in ana.fn_attrs(a) if INFERRED.match(t)]
        kept = [t for t in old if not INFERRED.match(t) or t == "mustprogress"]
        merged = kept + [t for t in inferred if t not in kept]
        if sorted(merged) == sorted(old):
            continue
        key = tuple(merged)
        if key not in new_groups:
            new_groups[key] = next_id
            next_id += 1
        line = lines[f.start_line]
        lp = line.index(f.name + "(") + len(f.name)
        rp = matching_paren(line, lp)
        tail = line[rp + 1:]
        sep = " {" if tail.rstrip().endswith("{") else ""
        if sep:
            tail = tail.rstrip()[:-1]
        # inline attributes moved into the new group; keep unnamed_addr, section, comdat, !dbg ...
        toks = [t for t in tokenize_attrs(tail) if not re.fullmatch(r'#\d+', t) and t not in f.inline_attrs]
        pre = [t for t in toks if t in ("unnamed_addr", "local_unnamed_addr") or t.startswith("addrspace(")]
        post = [t for t in toks if t not in pre]
        lines[f.start_line] = (line[:rp + 1] + "".join(" " + t for t in pre) + f" #{new_groups[key]}"
                               + "".join(" " + t for t in post) + sep)
    extra = [f"attributes #{n} = {{ {' '.join(k)} }}" for k, n in new_groups.items()]
    # top-level comments are dropped: they are not IR, and stale "Function Attrs:" lines mislead
    lines = [l for l in lines if not l.startswith(";") or l.startswith("; ModuleID")]
    return "\n".join(lines + extra) + "\n"


def top_level_passes(pipeline: str) -> list[str]:
    """`a,function(b,c),d` -> ['a', 'function(b,c)', 'd'] (commas inside brackets stay)."""
    out, depth, start = [], 0, 0
    for n, ch in enumerate(pipeline):
        if ch in "(<":
            depth += 1
        elif ch in ")>":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(pipeline[start:n])
            start = n + 1
    out.append(pipeline[start:])
    return [p for p in out if p]


def early_simplification(opt_level: str) -> str:
    """The passes `default<Ox>` runs before its first inliner (always-inline, then the CGSCC
    inliner): SROA/mem2reg, early-cse, instcombine, simplifycfg, IPSCCP, globalopt, as the
    opt next to the driven clang spells them. Locals are SSA values there and calls are still
    calls, so an argument computed into a local is an instruction, not a load of an alloca."""
    passes = top_level_passes(pipeline_text(f"default<{PIPELINE[opt_level]}>"))
    cut = next((n for n, p in enumerate(passes)
                if p == "always-inline" or p.startswith(("cgscc(", "inline"))), None)
    if not cut:
        raise ValueError(f"no inliner in default<{PIPELINE[opt_level]}>")
    # SimplifyCFG without block speculation: an arm that computes from a parameter keeps its
    # branch (hoisted above a select, the use would happen on every path). The -O pipeline
    # that lowers the rewritten module speculates as usual.
    return re.sub(r"(?<=[<;])speculate-blocks(?=[;>])", "no-speculate-blocks", ",".join(passes[:cut]))


def prepare_module(text: str, opt_level: str, stage: str) -> tuple[str, list[str]]:
    """The module the rewriter edits, with LLVM-derived function attributes."""
    notes = []
    if stage == "early" and opt_level in PIPELINE:
        # function-attrs runs in the inliner's CGSCC walk, after this point: run it here so
        # the analysis and the validator see LLVM's memory/nounwind/willreturn facts
        out = run_opt(text, early_simplification(opt_level) + ",function-attrs")
        notes.append(f"stage early: default<{PIPELINE[opt_level]}> up to its inliner")
        mp = mustprogress_functions(parse_module(out))
        if mp:
            notes.append("assumed mustprogress (C11 6.8.5p6): " + ",".join(sorted(mp)))
            out = run_opt(add_fn_attr(out, mp, "mustprogress"), "function-attrs")
        return out, notes
    a1 = run_opt(_strip_optnone(text), ANALYSIS_PASSES)
    mp = mustprogress_functions(parse_module(a1))
    if mp:
        notes.append("assumed mustprogress (C11 6.8.5p6): " + ",".join(sorted(mp)))
        a1 = run_opt(add_fn_attr(a1, mp, "mustprogress"), "function-attrs")
    src = add_fn_attr(text, mp, "mustprogress") if mp else text
    if stage == "post-inline" and opt_level in PIPELINE:
        out = run_opt(src, f"thinlto-pre-link<{PIPELINE[opt_level]}>")
        notes.append(f"stage post-inline: thinlto-pre-link<{PIPELINE[opt_level]}>")
        return out, notes
    notes.append("stage raw")
    return transplant_attrs(src, a1), notes


# ---------------------------------------------------------------------------
# Callee side: where the parameter is used, how likely
# ---------------------------------------------------------------------------

def param_uses(eff: Effects, fn: Function, k: int) -> tuple[str, str, list[tuple[Inst, str]]]:
    """(mode, slot, uses): uses are (instruction, where the value is needed): a block; for a
    phi whose incoming block has other successors too, the edge "%B->%J" (the rewriter forces on
    that edge, in a block of its own, so the other successors do not force); for a scalar
    `select` that takes the parameter on one side only, "%B?P" with P the probability that it
    picks that side (the rewriter turns it into a branch that forces on that side only)."""
    pname = fn.params[k].name
    users = eff.index(fn).users
    direct = users.get(pname, [])
    if len(direct) == 1 and direct[0].opcode == "store":
        ops = direct[0].ops
        if len(ops) == 2 and ops[0] == pname and eff.spill_param(fn, ops[1]) == k \
                and not eff.escaped(fn, ops[1]):
            slot = ops[1]
            loads = [i for i in users.get(slot, ()) if i.opcode == "load" and i.ops[-1:] == (slot,)]
            return "spill", slot, [(i, i.block) for i in loads]
    uses = []
    succ = eff.index(fn).succ
    for i in direct:
        if i.opcode == "phi":
            for m in PHI_ENTRY.finditer(i.text):
                if m.group(1).strip() == pname:
                    incoming = m.group(2)
                    split = len(set(succ.get(incoming, ()))) > 1
                    uses.append((i, f"{incoming}->{i.block}" if split else incoming))
        elif i.opcode == "select" and (sel := parse_select(i.text)) is not None and sel.cond != pname \
                and (sel.true_value == pname) != (sel.false_value == pname):
            p_true = _branch_probs(eff.mod, i, 2)[0] if sel.prof else 0.5
            uses.append((i, f"{i.block}?{p_true if sel.true_value == pname else 1.0 - p_true:.6f}"))
        else:
            uses.append((i, i.block))
    return "direct", "", uses


def _branch_probs(mod: Module, inst: Inst, n: int) -> list[float]:
    m = re.search(r'!prof (!\d+)', inst.text)
    if m:
        md = mod.metadata.get(m.group(1), "")
        if "branch_weights" in md:
            ws = [int(x) for x in re.findall(r'i32 (\d+)', md)]
            if len(ws) == n and sum(ws) > 0:
                return [w / sum(ws) for w in ws]
    return [1.0 / n] * n if n else []


def use_probability(mod: Module, idx: FunctionIndex, use_blocks: set[str]) -> tuple[float, bool]:
    """(P(parameter used) from branch structure/weights, used on every entry-to-return path).
    `use_blocks` holds blocks and edges ("%B->%J", see param_uses)."""
    fn, succ, back = idx.fn, idx.succ, idx.back_edges
    use_edges = {tuple(u.split("->", 1)) for u in use_blocks if "->" in u}
    picks: dict[str, float] = {}      # block -> P(one of its selects picks the parameter)
    for u in use_blocks:
        if "?" in u:
            b, p = u.split("?", 1)
            picks[b] = 1.0 - (1.0 - picks.get(b, 0.0)) * (1.0 - float(p))
    use_blocks = {u for u in use_blocks if "->" not in u and "?" not in u}
    # every-path check: can a return be reached avoiding use blocks?
    entry = fn.blocks[0].label
    unused_path = False
    if entry not in use_blocks:
        seen, work = {entry}, [entry]
        while work:
            x = work.pop()
            b = idx.block(x)
            if b.terminator.opcode == "ret":
                unused_path = True
                break
            for s in succ[x]:
                if s not in seen and s not in use_blocks and (x, s) not in use_edges:
                    seen.add(s)
                    work.append(s)
    # probability: push mass through the acyclic part in topological order
    mass = {entry: 1.0}
    unused = 0.0
    for x in idx.forward_order:
        m = mass.get(x, 0.0)
        if m == 0.0 or x in use_blocks:
            continue
        m *= 1.0 - picks.get(x, 0.0)      # the rest of the mass went past without a use
        b = idx.block(x)
        if b.terminator.opcode == "ret":
            unused += m
            continue
        ss = succ[x]
        probs = _branch_probs(mod, b.terminator, len(ss))
        for s, p in zip(ss, probs):
            if (x, s) in back or (x, s) in use_edges:
                continue      # used on that edge; mass around a loop: conservatively "used"
            mass[s] = mass.get(s, 0.0) + m * p
    return max(0.0, min(1.0, 1.0 - unused)), not unused_path


# ---------------------------------------------------------------------------
# Cost model
# ---------------------------------------------------------------------------

class Costs:
    def __init__(self, mod: Module):
        self.mod = mod
        self.memo: dict[str, float] = {}

    def inst(self, i: Inst) -> float:
        if i.opcode == "call":
            c = i.call
            if c is None or c.callee is None:
                return 20.0
            if c.callee.startswith("@llvm."):
                return 1.0
            return 5.0 + self.function(c.callee)
        if i.opcode in ("udiv", "sdiv", "urem", "srem", "fdiv", "frem"):
            return 10.0
        if i.opcode in ("fadd", "fsub", "fmul", "load"):
            return 2.0
        return 1.0

    def function(self, name: str) -> float:
        if name in self.memo:
            return self.memo[name]
        f = self.mod.functions.get(name)
        if f is None or f.is_decl:
            return 20.0
        self.memo[name] = 50.0       # recursion guard
        depth = f.loop_depths()
        total = 0.0
        for b in f.blocks:
            w = 8.0 ** min(depth.get(b.label, 0), 3)
            total += w * sum(self.inst(i) for i in b.insts if i.opcode != "alloca")
        total = min(total, 1e6)
        self.memo[name] = total
        return total


# ---------------------------------------------------------------------------
# The analysis
# ---------------------------------------------------------------------------

def _normalise(deferred: list[Inst], dset: set[str], types: set[str] = frozenset()) -> tuple[str, list[str]]:
    """Canonical text of the deferred computation and its environment (first-use order)."""
    names: dict[str, str] = {}
    env: list[str] = []
    for k, i in enumerate(deferred):
        names[i.name] = f"%d{k}"
    for i in deferred:
        for op in i.operands():
            if op not in dset and op not in names and op not in types:
                names[op] = f"%e{len(env)}"
                env.append(op)
    parts = []
    for i in deferred:
        body = strip_metadata(i.text)
        body = re.sub(r'^%[-\w.$]+ = ', "", body)
        body = re.sub(r'\s#\d+', "", body)
        parts.append(LOCAL_RE.sub(lambda m: names.get(m.group(0), m.group(0)), body))
    return "; ".join(parts), env


def analyse(text: str, opt_level: str, worth=None) -> tuple[list[CandidateSite], dict[str, SitePlan]]:
    """Every candidate site with its features; the safety verdict (and plan) for those `worth`
    accepts on their features (all when None; see `find_candidates`)."""
    mod = parse_module(text)
    eff = Effects(mod)
    costs = Costs(mod)
    types = ValueTypes(text)
    sites: list[CandidateSite] = []
    plans: dict[str, SitePlan] = {}
    seen_keys: dict[tuple, int] = {}
    call_counts: dict[str, int] = {}
    for f in mod.functions.values():
        for i in f.instructions():
            if i.call and i.call.callee:
                call_counts[i.call.callee] = call_counts.get(i.call.callee, 0) + 1
    use_cache: dict[tuple[str, int], tuple] = {}

    for caller in mod.functions.values():
        if caller.is_decl:
            continue
        for blk in caller.blocks:
            for pos, inst in enumerate(blk.insts):
                c = inst.call
                if inst.opcode != "call" or c is None or c.callee is None:
                    continue
                callee = mod.functions.get(c.callee)
                if callee is None or callee.is_decl or c.callee.startswith("@llvm."):
                    continue
                for k, (ty, attrs, val) in enumerate(c.args):
                    if not val.startswith("%") or k >= len(callee.params):
                        continue
                    root = eff.defs(caller).get(val)
                    if root is None:
                        continue       # a parameter of the caller: nothing to defer
                    site = _site(mod, eff, costs, types, caller, blk, pos, inst, callee, k, val,
                                 call_counts, use_cache, opt_level, worth)
                    if site is None:
                        continue
                    cs, plan, key = site
                    dup = seen_keys.get(key, 0)
                    seen_keys[key] = dup + 1
                    sid = site_id(caller.name, callee.name, k, key[3], dup)
                    cs = CandidateSite(id=sid, caller=cs.caller[1:], callee=cs.callee[1:], arg_index=k,
                                       safe=cs.safe, reason=cs.reason, features=cs.features)
                    sites.append(cs)
                    if plan is not None and cs.safe:
                        plans[sid] = SitePlan(site_id=sid, **{k2: v for k2, v in plan.items()})
    return sites, plans


def _movable(idx: FunctionIndex, block: str, call_block: str) -> str:
    """"" if a pure instruction of `block` may be deferred to a call in `call_block`, else why
    not. Same block: always (the caller checks it comes first). Another block: it must
    dominate the call's (every path to the call computed it, with the operand values the
    thunk captures there) in a reducible CFG, and every loop around the call must contain it
    too: deferring a value computed once before a loop into a call inside the loop would
    recompute it per iteration, from later memory."""
    if block == call_block:
        return ""
    if not idx.reducible:
        return "argument computed in another block of an irreducible function"
    if not idx.dominates(block, call_block):
        return "argument computed in a block that does not dominate the call"
    if not idx.loops_of.get(call_block, frozenset()) <= idx.loops_of.get(block, frozenset()):
        return "argument computed outside a loop the call is in"
    return ""


def _deferred_set(eff: Effects, idx: FunctionIndex, blk: Block, pos: int, val: str) -> set[str]:
    """`val` plus the instructions before the call that are pure, used only by deferred
    instructions and `_movable` to the call, decided as a scan from the call backwards
    decides it: only operands of deferred instructions can qualify, so only those are visited,
    latest first (a max-heap of (reverse post-order of the block, position); a definition
    dominates its uses, so every user is visited before the value it uses)."""
    dset, heap, visited = {val}, [], set()
    rpo = idx.rpo_index

    def push_operands(x: Inst) -> None:
        for op in x.ops:
            d = idx.defs.get(op)
            if d is None or d.block not in rpo or _movable(idx, d.block, blk.label):
                continue
            if d.block == blk.label and idx.position(d) >= pos:
                continue
            heapq.heappush(heap, (-rpo[d.block], -idx.position(d), d.name))
    push_operands(idx.defs[val])
    while heap:
        _, _, name = heapq.heappop(heap)
        if name in visited or name in dset:
            continue
        visited.add(name)
        x = idx.defs[name]
        us = idx.users.get(x.name, [])
        if not us or not all(u.name in dset for u in us):
            continue
        if x.opcode in DEFERRABLE or (x.opcode == "call" and eff.call_is_pure(x)[0]):
            dset.add(x.name)
            push_operands(x)
    return dset


def _between(idx: FunctionIndex, start: Inst, call: Inst) -> list[Inst]:
    """The instructions that may run after `start` and before `call`'s next execution on some
    path (neither re-executing `start` nor passing the call): what may write memory a value
    computed at `start` reads before a thunk forced at or after the call recomputes it."""
    sb, cb = start.block, call.block
    s_pos, c_pos = idx.position(start), idx.position(call)
    if sb == cb and s_pos < c_pos:
        return idx.block(sb).insts[s_pos + 1:c_pos]
    forward = cfg.reachable_avoiding(idx.succ, sb, stop={sb, cb})
    backward = cfg.reachable_avoiding(idx.pred, cb, stop={sb, cb})
    out = list(idx.block(sb).insts[s_pos + 1:])
    for label in idx.forward_order:
        if label in forward and label in backward and label not in (sb, cb):
            out.extend(idx.block(label).insts)
    out.extend(idx.block(cb).insts[:c_pos])
    return out


def _later_uses(idx: FunctionIndex, call: Inst, val: str) -> tuple[list[int], str]:
    """(block positions, "") of the caller's other uses of `val`, or ([], why not).

    The rewriter turns each of them into a force of the thunk, which is initialised right
    before the call, so every one must be dominated by the call. `val` is defined before the
    call in the call's block: a later use in that block qualifies; an earlier one (in a loop
    too: it runs before this iteration's call) is refused, and so are phis and other blocks
    (the rewriter forces only in the call's block)."""
    pos, out = idx.position(call), []
    for u in idx.users.get(val, ()):
        if u is call:
            continue
        if u.block != call.block or u.opcode == "phi":
            return [], "deferred value used elsewhere in the caller (other block or phi)"
        n = idx.position(u)
        if n < pos:
            return [], "deferred value used before the call in the caller"
        out.append(n)
    return out, ""


def _site(mod, eff, costs, types, caller, blk, pos, inst, callee, k, val, call_counts, use_cache, opt_level,
          worth=None):
    c = inst.call
    idx = eff.index(caller)
    root = idx.defs[val]
    # --- the deferred computation: root plus same-block pure operands used only by it
    dset: set[str] = set()
    reason = ""
    if root.opcode not in DEFERRABLE and root.opcode != "call":
        reason = f"argument is a {root.opcode} (nothing pure to defer; it would be captured)"
    elif root.opcode == "call":
        ok, why = eff.call_is_pure(root)
        if not ok:
            reason = "impure computation: " + why
    if not reason:
        reason = ("argument computed in an unreachable block" if root.block not in idx.rpo_index
                  else _movable(idx, root.block, blk.label))
    if not reason:
        dset = _deferred_set(eff, idx, blk, pos, val)
    deferred = sorted((idx.defs[n] for n in dset),
                      key=lambda x: (idx.rpo_index[x.block], idx.position(x)))
    norm, env = _normalise(deferred, dset, mod.types) if deferred else (strip_metadata(root.text), [])
    key = (caller.name, callee.name, k, norm)

    # --- callee side
    if (callee.name, k) not in use_cache:
        mode, slot, uses = param_uses(eff, callee, k)
        p_used, every = use_probability(mod, eff.index(callee), {b for _, b in uses})
        use_cache[(callee.name, k)] = (mode, slot, uses, p_used, every)
    mode, slot, uses, p_used, every = use_cache[(callee.name, k)]
    callee_attrs = mod.fn_attrs(callee)
    callee_size = eff.index(callee).size
    inline_likely = ("alwaysinline" in callee_attrs or
                     (opt_level not in ("0", "") and "noinline" not in callee_attrs and
                      (callee_size <= 12 or (call_counts.get(callee.name, 0) == 1 and
                                               callee.header.startswith("define internal")))))
    cost = sum(costs.inst(x) for x in deferred)
    feats = {
        "cost": cost,
        "p_used": p_used,
        "used_every_path": float(every),
        "loop_depth": float(idx.loop_depths.get(blk.label, 0)),
        "callee_size": float(callee_size),
        "callee_inlined_anyway": float(inline_likely),
        "n_deferred": float(len(deferred)),
        "n_env": float(len(env)),
        "n_uses_in_callee": float(len(uses)),
        "n_calls_in_deferred": float(sum(1 for x in deferred if x.opcode == "call")),
    }

    def verdict(safe: bool, why: str, plan=None):
        return (CandidateSite(id="", caller=caller.name, callee=callee.name, arg_index=k, safe=safe,
                              reason=why, features=MappingProxyType(feats)), plan, key)

    if reason:
        return verdict(False, reason)
    if every:
        return verdict(False, "parameter used on every entry-to-return path of the callee (nothing to gain)")
    if worth is not None and not worth(feats):
        return verdict(False, NOT_WORTH)
    # --- structural restrictions
    if callee.varargs or c.varargs_type:
        return verdict(False, "varargs callee")
    if c.tail == "musttail":
        return verdict(False, "musttail call")
    if BAD_PARAM_ATTRS.search(callee.params[k].attrs) or BAD_PARAM_ATTRS.search(c.args[k][1]):
        return verdict(False, "parameter passed by memory or special ABI attribute")
    if any(a[2] == val for n, a in enumerate(c.args) if n != k):
        return verdict(False, "same value passed in several argument positions")
    if '"' in callee.params[k].name or not callee.params[k].name:
        return verdict(False, "unnamed/quoted parameter name")
    if any('"' in x.text.split("=")[0] for x in deferred):
        return verdict(False, "quoted value names")
    if "optnone" in callee_attrs and "optnone" not in mod.fn_attrs(caller) and opt_level not in ("0", ""):
        return verdict(False, "optnone callee in an optimised caller")
    vty = types.of(caller.name, val)
    env_typed = []
    for e in env:
        t = types.of(caller.name, e)
        if t is None:
            return verdict(False, f"unknown type of captured value {e}")
        env_typed.append((t, e))
    if vty is None or vty == "void" or vty.startswith("{") and "..." in vty:
        return verdict(False, "unsupported value type")
    other_idx, why = _later_uses(idx, inst, val)
    if why:
        return verdict(False, why)
    # --- memory safety: what the computation reads vs what may be written before each force
    read = Footprint()
    for x in deferred:
        if x.opcode == "call":
            read.add(eff.call_footprint(caller, x, "read"))
    # from each deferred call (what reads memory) to the call, then to the last caller-side force
    region = []
    for x in deferred:
        if x.opcode == "call":
            region += [y for y in _between(idx, x, inst) if y.name not in dset]
    if other_idx:
        region += blk.insts[pos + 1:min(other_idx)]
    for x in region:
        why = conflicts(read, eff.inst_writes(caller, x))
        if why:
            return verdict(False, f"caller: {why} ({strip_metadata(x.text)[:60]})")
    def param_map(j: int):
        if j < len(c.args) and c.args[j][0] == "ptr":
            v = c.args[j][2]
            return eff.resolve(caller, v) if v.startswith(("%", "@")) else ("unknown",)
        return ("unknown",)
    # Only callee writes that may run before a force of the parameter count: the force is
    # memoised (later writes cannot change the value), and unless the caller uses the value
    # besides passing it (a caller-side force after the call), a write never followed by a
    # force in the callee is harmless (effects.writes_before_force).
    caller_forces = any(u is not inst for u in idx.users.get(val, ()))
    for x, access in eff.writes_before_force(callee, k, uses, forced_after_return=caller_forces):
        why = conflicts(read, access.footprint(param_map, local_ok=True))
        if why:
            return verdict(False, f"callee {callee.name}: {why} ({strip_metadata(x.text)[:60]})")
    # ... which holds for call-by-need only: a call-by-name rewrite recomputes at every force,
    # after any callee write and any caller write up to the last caller-side use
    needs_memo = any(conflicts(read, access.footprint(param_map, local_ok=True))
                     for _, access in eff.callee_writes(callee)) or \
        any(conflicts(read, eff.inst_writes(caller, x)) for x in blk.insts[pos + 1:max(other_idx, default=pos)])
    plan = dict(caller=caller.name, callee=callee.name, arg_index=k, block=blk.label,
                call_name=inst.name, call_pos=pos, deferred=tuple(x.name for x in deferred),
                env=tuple(env_typed), value_type=vty,
                caller_uses=tuple(sorted(other_idx)),
                callee_mode=mode, callee_slot=slot, norm_text=norm, needs_memo=needs_memo)
    return verdict(True, "", plan)
