"""Natural loops of a function and a canonical fingerprint of each loop.

A loop that is *identical* in src and tgt (same fingerprint) and that touches
no local memory is not unrolled: the executor replaces it, on both sides, by
an uninterpreted summary of its inputs (see `summarise` below and the
soundness argument in docs/validator.md, "Loop abstraction").

The fingerprint must determine the loop's semantics as a function of its
inputs, so it is built from everything an instruction means: the printed text
with value/label names replaced by placeholders (opcode, flags, types,
alignment, predicates, constants, callee names), the canonical identity of
each operand in operand order (loop-defined value i, input j, loop block k,
exit l), expanded attribute groups and metadata contents, struct type
definitions and the attributes of every callee.  Header phis are fingerprinted
without their entry-edge operands: those values are inputs of the summary.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lazycc.validator import lanes
from lazycc.validator import smt as S
from lazycc.validator.handlers import INTRINSICS
from lazycc.ir import cfg
from lazycc.ir.model import Function, Inst, Module
from lazycc.validator.analysis import block_successors
from lazycc.validator.memory import BYTE, PTRW
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor calls summarise()
    from lazycc.validator.executor import Exec

# Metadata kinds that do not change the meaning of an instruction for us.
_MD_IGNORED = ("dbg", "llvm.loop", "prof", "annotation", "DIAssignID", "heapallocsite")
_MD_ATTACH = re.compile(r",\s*!([\w.]+)\s+(!\d+|!\{[^}]*\})")
_NAME = re.compile(r"%(?:[-\w.$]+|\"[^\"]*\")")
_MD_DEF = re.compile(r"^(!\d+) = (.*)$", re.M)


@dataclass
class Loop:
    header: int
    blocks: set[int]
    exits: list[tuple[int, int]] = field(default_factory=list)   # (exiting block, exit block)
    header_phis: list[Inst] = field(default_factory=list)
    inputs: list[int] = field(default_factory=list)              # keys of outside values used
    outputs: list[Inst] = field(default_factory=list)            # loop values used outside
    fingerprint: str = ""
    eligible: bool = True
    why: str = ""
    parent: "Loop | None" = None


def predecessors(fn: Function) -> dict[int, list[int]]:
    """Block key -> its predecessors' keys (`lazycc.ir.cfg.predecessors`)."""
    return cfg.predecessors(block_successors(fn))


loop_bodies = cfg.natural_loops     # the executor's name for it


def find_loops(fn: Function, dfs_back: set[tuple[int, int]]) -> list[Loop]:
    """Natural loops (outermost first).  [] if the CFG is irreducible."""
    succ = block_successors(fn)
    idom = cfg.immediate_dominators(succ, fn.blocks[0].key)
    # Every DFS back edge must be a dominator back edge (reducible CFG).
    if not cfg.is_reducible(dfs_back, idom):
        return []
    by_header = cfg.natural_loops(dfs_back, cfg.predecessors(succ), set(idom))
    loops = [Loop(h, bs) for h, bs in by_header.items()]
    loops.sort(key=lambda lp: -len(lp.blocks))
    for i, lp in enumerate(loops):
        for outer in reversed(loops[:i]):
            if lp.header in outer.blocks and lp.blocks <= outer.blocks:
                lp.parent = outer
                break
    return loops


def _md_text(ref: str, mds: dict[str, str], seen: set[str], depth: int = 0) -> str:
    if ref in seen or depth > 8:
        return "<cycle>"
    body = mds.get(ref)
    if body is None:
        return "<?>"
    seen = seen | {ref}
    body = re.sub(r"^distinct ", "", body)
    return re.sub(r"!\d+", lambda m: _md_text(m.group(0), mds, seen, depth + 1), body)


def analyse(fn: Function, mod: Module, dfs_back: set[tuple[int, int]], maybe_local: set[int],
            supported_opcodes: set[str]) -> list[Loop]:
    """Find loops, their inputs/outputs/exits, eligibility and fingerprints."""
    loops = find_loops(fn, dfs_back)
    if not loops:
        return []
    mds = {m.group(1): m.group(2) for m in _MD_DEF.finditer(mod.text)}
    blocks = {b.key: b for b in fn.blocks}
    def_block = {i.key: b.key for b in fn.blocks for i in b.insts}
    param_keys = {p.key for p in fn.params}
    succ = block_successors(fn)
    used_in: dict[int, set[int]] = {}       # value key -> the blocks that use it
    for b in fn.blocks:
        for ins in b.insts:
            for o in ins.ops:
                if o.kind == "ref":
                    used_in.setdefault(o.key, set()).add(b.key)
    for lp in loops:
        # canonical block order: DFS pre-order from the header, successors in terminator order
        order = cfg.preorder(succ, lp.header, lp.blocks)
        if len(order) != len(lp.blocks):
            lp.eligible, lp.why = False, "loop blocks not reachable from header"
            continue
        lp.exits = [(k, s) for k in order for s in succ[k] if s not in lp.blocks]
        canon: dict[tuple[str, int], str] = {}
        for n, k in enumerate(order):
            canon[("b", k)] = f"b{n}"
        vn = 0
        for k in order:
            for ins in blocks[k].insts:
                canon[("v", ins.key)] = f"v{vn}"
                vn += 1
        lp.header_phis = [i for i in blocks[lp.header].insts if i.opcode == "phi"]
        inputs: dict[int, int] = {}       # key -> position, in first-use order
        exits_seen: dict[int, int] = {}
        lines: list[str] = []
        callees: set[str] = set()
        loop_vals = {i.key for k in lp.blocks for i in blocks[k].insts}

        def op_canon(o) -> str:
            if o.kind == "ref":
                if o.key in loop_vals:
                    return canon[("v", o.key)]
                return f"in{inputs.setdefault(o.key, len(inputs))}:{o.ty}"
            if o.kind == "block":
                if ("b", o.key) in canon:
                    return canon[("b", o.key)]
                return f"x{exits_seen.setdefault(o.key, len(exits_seen))}"
            return f"{o.kind}:{o.ty}:{o.value}:{o.name}"

        for k in order:
            lines.append(canon[("b", k)] + ":")
            for ins in blocks[k].insts:
                bad = _ineligible(ins, mod, maybe_local, supported_opcodes)
                if bad:
                    lp.eligible, lp.why = False, bad
                if ins.opcode == "phi" and k == lp.header:
                    inc = [f"[{op_canon(o)}, {canon[('b', b)]}]"
                           for o, b in zip(ins.ops, ins.incoming) if b in lp.blocks]
                    lines.append(f"{canon[('v', ins.key)]} = phi {ins.ty} " + " ".join(inc))
                    continue
                text = _skeleton(ins.text, mod, mds)
                ops = [op_canon(o) for o in ins.ops]
                if ins.opcode == "phi":
                    ops += ["from " + op_canon(type("B", (), {"kind": "block", "key": b, "ty": "",
                                                              "value": 0, "name": ""})())
                            for b in ins.incoming]
                if ins.opcode == "call" and ins.ops and ins.ops[-1].kind == "global":
                    callees.add(ins.ops[-1].name)
                lines.append(f"{canon[('v', ins.key)]}: {text} | {' , '.join(ops)}")
        for name in sorted(callees):
            d = mod.decls.get(name)
            lines.append(f"callee @{name}: {d.attrs if d else '?'} ret {d.ret_ty if d else '?'}")
        lines.append("exits: " + " ".join(f"{canon[('b', a)]}->x{exits_seen[b]}" for a, b in lp.exits))
        used = "\n".join(lines)
        for sname, sdef in sorted(mod.struct_types.items()):
            if sname in used:
                lines.append(f"type {sname} = {sdef}")
        lp.inputs = list(inputs)
        for i in lp.inputs:
            if i not in param_keys and i not in def_block:
                lp.eligible, lp.why = False, "unknown input"
        # outputs: loop values used outside the loop, in canonical order
        used_outside = {v for v in loop_vals if not used_in.get(v, set()) <= lp.blocks}
        lp.outputs = [i for k in order for i in blocks[k].insts if i.key in used_outside]
        lines.append("outputs: " + " ".join(canon[("v", i.key)] for i in lp.outputs))
        lines.append("header phis: " + " ".join(canon[("v", i.key)] for i in lp.header_phis))
        lp.fingerprint = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20]
        for o in lp.outputs:
            if o.ty.kind not in ("int", "ptr", "half", "bfloat", "float", "double", "x86_fp80", "fp128"):
                lp.eligible, lp.why = False, f"output of type {o.ty}"
    return loops


def _ineligible(ins: Inst, mod: Module, maybe_local: set[int], supported: set[str]) -> str:
    """Why `ins` keeps its loop from being summarised ('' if it does not)."""
    if ins.opcode not in supported and ins.opcode != "phi":
        return f"opcode {ins.opcode}"
    if lanes.is_multi(ins.ty) or any(lanes.is_multi(o.ty) for o in ins.ops):
        return "vector or aggregate values"                # summaries model scalar (value, non-poison) pairs
    if ins.key in maybe_local or any(o.kind == "ref" and o.key in maybe_local for o in ins.ops):
        return "touches local memory"
    if ins.opcode in ("alloca", "freeze"):
        return ins.opcode                       # allocation / nondeterministic choice
    if any(o.kind in ("undef", "other") for o in ins.ops) or re.search(r"\bundef\b", ins.text):
        return "undef or unknown constant"      # undef is a nondeterministic choice per use
    if " atomic " in ins.text or "inline asm" in ins.text or "musttail" in ins.text:
        return "atomic / asm / musttail"
    if ins.opcode == "call":
        if not ins.ops or ins.ops[-1].kind != "global":
            return "indirect call"
        name = ins.ops[-1].name
        if name.startswith("llvm."):
            if not any(name.startswith(p) for p in INTRINSICS):
                return f"intrinsic {name}"
            if name.startswith("llvm.lifetime"):
                return "lifetime of a local block"
        elif name not in mod.decls:
            return f"unknown callee {name}"
    return ""


def _skeleton(text: str, mod: Module, mds: dict[str, str]) -> str:
    """Instruction text without value names, with attribute groups and metadata expanded."""
    def md(m):
        kind, ref = m.group(1), m.group(2)
        if kind in _MD_IGNORED:
            return ""
        return f", !{kind} " + (_md_text(ref, mds, set()) if ref.startswith("!") and ref[1:].isdigit() else ref)
    text = _MD_ATTACH.sub(md, text)
    text = re.sub(r"#\d+", lambda m: "{" + mod.attr_groups.get(m.group(0), "?") + "}", text)
    if "=" in text.split("(")[0]:
        text = text.split("=", 1)[1]
    return _NAME.sub(lambda m: m.group(0) if m.group(0) in mod.struct_types else "%_", text)


def select_abstracted(src: list[Loop], tgt: list[Loop]) -> tuple[dict[int, Loop], dict[int, Loop]]:
    """Loops to summarise on each side: eligible, with a same-fingerprint eligible loop on the
    other side, and no summarised ancestor (outermost identical loops)."""
    fs = {lp.fingerprint for lp in src if lp.eligible}
    ft = {lp.fingerprint for lp in tgt if lp.eligible}
    common = fs & ft

    def pick(loops: list[Loop]) -> dict[int, Loop]:
        out: dict[int, Loop] = {}
        chosen: set[int] = set()
        for lp in loops:  # outermost first
            anc, skip = lp.parent, False
            while anc is not None:
                if id(anc) in chosen:
                    skip = True
                    break
                anc = anc.parent
            if skip or not lp.eligible or lp.fingerprint not in common:
                continue
            chosen.add(id(lp))
            out[lp.header] = lp
        return out
    return pick(src), pick(tgt)


# ---------------------------------------------------------------- the summary (executor side)


def summarise(ex: Exec, st: NodeState, lp: Loop) -> None:
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
        sorts += [S.sort_of(v), S.BoolSort()]
    vals.append(st.NL)
    sorts.append(S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))
    name = f"loop.{lp.fingerprint}"
    if not ex.summary_effects(st, name, sorts, vals, bool(lp.exits)):
        return
    ex.leave_summary(st, lp, name, sorts, vals)
