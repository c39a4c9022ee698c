"""Memory effects: what a deferred computation reads, what code between its
definition and a force point writes, and whether the two may overlap.

Function summaries come from LLVM (`function-attrs`/`inferattrs` run by
`lazycc.candidates.prepare_module`): we only read the `memory(...)`,
`nounwind`, `willreturn` attributes it derived, never re-derive them. What we
add is the mapping of pointer arguments to underlying objects at a call site,
so a callee that writes global `@g` does not conflict with a computation that
only reads global `@arr`.

Everything unknown is treated as "may write anything".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lazycc.ir.text import Function, FunctionIndex, Inst, Module, strip_metadata
from lazycc.ir.attrs import MEMORY_LOCATIONS, parse_memory, split_top, tokenize_attrs  # noqa: F401 (parse_memory re-exported)

LOCS = MEMORY_LOCATIONS


def writes(kind: str) -> bool:
    return "write" in kind


def reads(kind: str) -> bool:
    return "read" in kind


# Underlying objects: ("alloca", fn, name) | ("global", name) | ("param", fn, index) | ("unknown",)
UNKNOWN = ("unknown",)


@dataclass
class Footprint:
    """A set of memory locations (what is read, or what is written)."""

    objs: set = field(default_factory=set)
    other: bool = False          # globals and any memory not named by objs
    inaccessible: bool = False
    errno: bool = False
    sync: bool = False           # a synchronisation point (fence, atomic RMW, ...)

    def empty(self) -> bool:
        return not (self.objs or self.other or self.inaccessible or self.errno or self.sync)

    def add(self, o: "Footprint") -> None:
        self.objs |= o.objs
        self.other |= o.other
        self.inaccessible |= o.inaccessible
        self.errno |= o.errno
        self.sync |= o.sync

    @staticmethod
    def anything() -> "Footprint":
        return Footprint(objs={UNKNOWN}, other=True, inaccessible=True, errno=True, sync=True)


@dataclass(frozen=True)
class Access:
    """What one instruction reads or writes before a call site maps its callee's parameters
    to arguments: computed once per instruction, mapped per site (`footprint`).

    `objs` keeps the order in which objects are found, so the mapped set is built exactly as
    a direct computation would build it (its iteration order picks the reason reported)."""

    objs: tuple = ()
    other: bool = False
    inaccessible: bool = False
    errno: bool = False
    sync: bool = False
    local: bool = False          # a store or call: its writes to local allocas may be ignored

    def empty(self) -> bool:
        return not (self.objs or self.other or self.inaccessible or self.errno or self.sync)

    def footprint(self, param_map=None, local_ok: bool = False) -> Footprint:
        fp = Footprint(other=self.other, inaccessible=self.inaccessible, errno=self.errno, sync=self.sync)
        for o in self.objs:
            fp.objs.add(param_map(o[2]) if param_map is not None and o[0] == "param" else o)
        if local_ok and self.local:
            fp.objs = {o for o in fp.objs if o[0] != "alloca"}
        return fp


ANYTHING = Access(objs=(UNKNOWN,), other=True, inaccessible=True, errno=True, sync=True)


class Effects:
    """Per-module helper: attribute lookups and underlying-object resolution."""

    def __init__(self, mod: Module):
        self.mod = mod
        self._index: dict[str, FunctionIndex] = {}
        self._spill: dict[tuple[str, str], int | None] = {}
        self._escaped: dict[tuple[str, str], bool] = {}
        self._objects: dict[tuple[str, str], tuple] = {}
        self._writes: dict[str, list[tuple[Inst, Access]]] = {}
        self._writes_before: dict[tuple[str, int, bool], list[tuple[Inst, Access]]] = {}
        self._reads: dict[tuple, Footprint | None] = {}

    def index(self, fn: Function) -> FunctionIndex:
        """The function's index, built once per analysis (see FunctionIndex)."""
        idx = self._index.get(fn.name)
        if idx is None:
            idx = self._index[fn.name] = FunctionIndex(fn)
        return idx

    # ---- attributes -------------------------------------------------------
    def call_attrs(self, inst: Inst) -> list[str]:
        toks: list[str] = []
        c = inst.call
        if c is None:
            return toks
        if c.callee and c.callee in self.mod.functions:
            toks.extend(self.mod.fn_attrs(self.mod.functions[c.callee]))
        for g in c.fn_attr_groups:
            toks.extend(self.mod.attr_groups.get(g, []))
        return toks

    def call_memory(self, inst: Inst) -> dict[str, str] | None:
        """Memory effects of a call: the most precise of callee and call-site attributes."""
        c = inst.call
        if c is None or c.callee is None or "asm" in c.prefix:
            return None
        mems = []
        if c.callee in self.mod.functions:
            m = parse_memory(self.mod.fn_attrs(self.mod.functions[c.callee]))
            if m:
                mems.append(m)
        for g in c.fn_attr_groups:
            m = parse_memory(self.mod.attr_groups.get(g, []))
            if m:
                mems.append(m)
        if not mems:
            return None
        res = {}
        for loc in LOCS:
            kinds = [m[loc] for m in mems]
            # intersection of effects: both descriptions hold
            r = all(reads(k) for k in kinds)
            w = all(writes(k) for k in kinds)
            res[loc] = "readwrite" if r and w else "read" if r else "write" if w else "none"
        return res

    def call_is_pure(self, inst: Inst) -> tuple[bool, str]:
        """A call that may be deferred: direct, read-only, nounwind, willreturn."""
        c = inst.call
        if c is None:
            return False, "unparsed call"
        if c.callee is None:
            return False, "indirect call or inline asm"
        if c.tail == "musttail":
            return False, "musttail call"
        attrs = self.call_attrs(inst)
        mem = self.call_memory(inst)
        if mem is None or any(writes(k) for k in mem.values()):
            return False, f"call to {c.callee} may write memory"
        if "nounwind" not in attrs:
            return False, f"call to {c.callee} may unwind"
        if "willreturn" not in attrs:
            return False, f"call to {c.callee} is not willreturn (may not terminate)"
        if re.search(r'\b(?:preallocated|inalloca|byval|sret)\b', " ".join(a for _, a, _ in c.args)):
            return False, "call passes an aggregate by memory"
        return True, ""

    # ---- objects ----------------------------------------------------------
    def defs(self, fn: Function) -> dict[str, Inst]:
        return self.index(fn).defs

    def spill_param(self, fn: Function, alloca: str) -> int | None:
        """If `alloca` is the -O0 spill slot of a parameter (one store of the param, only loads), its index."""
        key = (fn.name, alloca)
        if key not in self._spill:
            self._spill[key] = self._spill_param(fn, alloca)
        return self._spill[key]

    def _spill_param(self, fn: Function, alloca: str) -> int | None:
        slot = self.defs(fn).get(alloca)
        if slot is None or slot.opcode != "alloca":
            # `store %x, ptr %q` with %q a pointer parameter (or any other pointer) is a real
            # store: its target is no spill slot, and the rewriter would drop it
            return None
        pidx = None
        for i in self.index(fn).users.get(alloca, ()):
            if i.opcode == "load" and i.ops[-1] == alloca and "volatile" not in i.text:
                continue
            if i.opcode == "store":
                ops = i.ops
                if len(ops) == 2 and ops[1] == alloca and _store_ptr(i) == alloca and "volatile" not in i.text:
                    for k, p in enumerate(fn.params):
                        if p.name == ops[0]:
                            if pidx is not None:
                                return None
                            pidx = k
                            break
                    else:
                        return None
                    continue
            return None
        return pidx

    def escaped(self, fn: Function, alloca: str) -> bool:
        """Conservative escape check: the address is only loaded from, stored to, or GEP'd."""
        key = (fn.name, alloca)
        if key in self._escaped:
            return self._escaped[key]
        work, seen, esc = [alloca], set(), False
        while work and not esc:
            v = work.pop()
            if v in seen:
                continue
            seen.add(v)
            for i in self.index(fn).users.get(v, ()):
                ops = i.ops
                if i.opcode == "load" and ops[-1] == v:
                    continue
                if i.opcode == "store" and _store_ptr(i) == v and ops.count(v) == 1:
                    continue
                if i.opcode == "getelementptr" and ops and ops[0] == v and i.name:
                    work.append(i.name)
                    continue
                if i.opcode == "call" and i.call and i.call.callee and i.call.callee.startswith("@llvm.lifetime"):
                    continue
                if i.opcode == "call" and self._not_captured(i, v):
                    continue
                esc = True
                break
        self._escaped[key] = esc
        return esc

    def _not_captured(self, call: Inst, v: str) -> bool:
        """Is `v` passed to this direct call only in argument positions that LLVM marks
        `captures(none)` (at the call or on the callee's parameter)? Then the address does not
        outlive the call; what the call does through it during the call is its own write/read
        footprint (its `memory(argmem: ...)`)."""
        c = call.call
        if c is None or c.callee is None or c.callee == v:
            return False
        callee = self.mod.functions.get(c.callee)
        positions = [k for k, a in enumerate(c.args) if a[2] == v]
        if not positions or call.ops.count(v) != len(positions):
            return False
        for k in positions:
            attrs = c.args[k][1]
            if callee is not None and k < len(callee.params):
                attrs += " " + callee.params[k].attrs
            if "captures(none)" not in attrs and "nocapture" not in attrs.split():
                return False
        return True

    def object_of(self, fn: Function, value: str) -> tuple:
        """Underlying object of pointer `value` inside `fn` (memoised: asked at every site)."""
        key = (fn.name, value)
        obj = self._objects.get(key)
        if obj is None:
            obj = self._objects[key] = self._trace(fn, value, 0)
        return obj

    def _trace(self, fn: Function, value: str, depth: int) -> tuple:
        if depth > 16:
            return UNKNOWN
        if value.startswith("@"):
            return ("global", value)
        for k, p in enumerate(fn.params):
            if p.name == value:
                return ("param", fn.name, k)
        inst = self.defs(fn).get(value)
        if inst is None:
            if value.startswith("getelementptr") or value.startswith("("):
                m = re.search(r'ptr (@[-\w.$]+)', value)
                return ("global", m.group(1)) if m else UNKNOWN
            return UNKNOWN
        ops = inst.ops
        if inst.opcode == "alloca":
            return ("alloca", fn.name, value)
        if inst.opcode in ("getelementptr", "bitcast", "addrspacecast"):
            gm = re.search(r'(?:getelementptr|bitcast|addrspacecast)(?: inbounds| nuw| nusw)* [^,]+, ptr (@[-\w.$]+|%[-\w.$]+)', inst.text)
            if gm:
                return self._trace(fn, gm.group(1), depth + 1)
            return UNKNOWN
        if inst.opcode == "load" and ops:
            src = ops[-1]
            sdef = self.defs(fn).get(src)
            if sdef is not None and sdef.opcode == "alloca":
                k = self.spill_param(fn, src)
                if k is not None:
                    return ("param", fn.name, k)
        return UNKNOWN

    def norm(self, fn: Function, obj: tuple) -> tuple:
        """Escaped allocas behave like unknown memory."""
        if obj[0] == "alloca" and self.escaped(fn, obj[2]):
            return UNKNOWN
        return obj

    # ---- footprints -------------------------------------------------------
    def precise_reads(self, fn: Function, inst: Inst, param_map=None, depth: int = 0) -> Footprint | None:
        """Read footprint of a call to a *defined* read-only function, from its body: every load
        must resolve to a global or a parameter (mapped to this call's arguments), every call
        must be read-only and resolvable the same way. None when that fails (use the attribute).

        Memoised on what the answer depends on (callee, its memory summary, the objects its
        arguments map to, depth): sites calling one function read its body once. The
        footprint returned is shared; callers only read it."""
        c = inst.call
        if depth > 3 or c is None or c.callee not in self.mod.functions:
            return None
        callee = self.mod.functions[c.callee]
        if callee.is_decl:
            return None
        mem = self.call_memory(inst)
        if mem is None or any(writes(k) for k in mem.values()):
            return None
        args = tuple(self.resolve(fn, v, param_map) if ty == "ptr" and v.startswith(("%", "@")) else UNKNOWN
                     for ty, _, v in c.args)
        key = (callee.name, tuple(mem.items()), args, depth)
        if key not in self._reads:
            self._reads[key] = self._body_reads(callee, mem, args, depth)
        return self._reads[key]

    def _body_reads(self, callee: Function, mem: dict[str, str], args: tuple, depth: int) -> Footprint | None:
        def pmap(j: int):
            return args[j] if j < len(args) else UNKNOWN
        fp = Footprint()
        fp.inaccessible = reads(mem["inaccessiblemem"])
        fp.errno = reads(mem["errnomem"])
        for i in callee.instructions():
            if i.opcode == "load":
                if "volatile" in i.text or " atomic " in i.text:
                    return None
                ptr = _load_ptr(i)
                obj = self.resolve(callee, ptr, pmap) if ptr else UNKNOWN
                if obj == UNKNOWN:
                    return None
                if obj[0] == "alloca" and obj[1] == callee.name:
                    continue
                fp.objs.add(obj)
            elif i.opcode == "call":
                if i.call and i.call.callee and i.call.callee.startswith(("@llvm.lifetime", "@llvm.dbg")):
                    continue
                sub = self.precise_reads(callee, i, pmap, depth + 1)
                if sub is None:
                    sub_m = self.call_memory(i)
                    if sub_m is None or any(reads(sub_m[k]) for k in ("argmem", "other")):
                        return None
                    sub = Footprint(inaccessible=reads(sub_m["inaccessiblemem"]), errno=reads(sub_m["errnomem"]))
                fp.add(sub)
            elif i.opcode in ("invoke", "callbr", "va_arg", "atomicrmw", "cmpxchg", "fence"):
                return None
        return fp

    def call_footprint(self, fn: Function, inst: Inst, want: str,
                       param_map=None) -> Footprint:
        """Locations a call in `fn` reads (want='read') or writes (want='write')."""
        if want == "read":
            pr = self.precise_reads(fn, inst, param_map)
            if pr is not None:
                return pr
        return self._call_access(fn, inst, want).footprint(param_map)

    def _call_access(self, fn: Function, inst: Inst, want: str) -> Access:
        test = reads if want == "read" else writes
        c = inst.call
        if c is not None and c.callee and c.callee.startswith("@llvm.lifetime"):
            # lifetime.start/end kill the object's contents: a write for our purposes
            if want == "read":
                return Access()
            ptrs = [v for t, _, v in c.args if t == "ptr"]
            return Access(objs=(self.resolve(fn, ptrs[-1]) if ptrs else UNKNOWN,))
        if c is not None and c.callee and c.callee.startswith("@llvm.dbg"):
            return Access()
        mem = self.call_memory(inst)
        if mem is None:
            return ANYTHING
        objs = ()
        if test(mem["argmem"]):
            objs = tuple(dict.fromkeys(self.resolve(fn, val) for ty, _, val in c.args if ty == "ptr"))
        attrs = self.call_attrs(inst)
        sync = (want == "write" and "nosync" not in attrs and any(writes(k) for k in mem.values())
                and not (errno_only(mem) and "convergent" not in attrs))
        return Access(objs=objs, other=test(mem["other"]), inaccessible=test(mem["inaccessiblemem"]),
                      errno=test(mem["errnomem"]), sync=sync)

    def resolve(self, fn: Function, value: str, param_map=None) -> tuple:
        obj = self.norm(fn, self.object_of(fn, value))
        if obj[0] == "param" and param_map is not None:
            return param_map(obj[2])
        return obj

    def inst_writes(self, fn: Function, inst: Inst, param_map=None, local_ok: bool = False) -> Footprint:
        """What `inst` may write. `local_ok`: ignore writes to fn's own non-escaping allocas
        (a callee frame is fresh memory nobody outside can read)."""
        return self.write_access(fn, inst).footprint(param_map, local_ok)

    def write_access(self, fn: Function, inst: Inst) -> Access:
        """What `inst` may write, parameters of `fn` not yet mapped to a call's arguments."""
        op = inst.opcode
        if op == "store":
            ptr = _store_ptr(inst)
            return Access(objs=(self.resolve(fn, ptr) if ptr else UNKNOWN,), sync="atomic" in inst.text,
                          local=True)
        if op in ("atomicrmw", "cmpxchg"):
            ops = inst.ops
            return Access(objs=(self.resolve(fn, ops[0]) if ops else UNKNOWN,), sync=True)
        if op == "fence":
            return Access(sync=True)
        if op == "load":
            return Access(sync=" atomic " in inst.text and not re.search(r'\b(unordered|monotonic)\b', inst.text))
        if op == "call":
            return replace(self._call_access(fn, inst, "write"), local=True)
        if op in ("invoke", "callbr", "va_arg"):
            return ANYTHING
        return Access()

    def callee_writes(self, fn: Function) -> list[tuple[Inst, Access]]:
        """The distinct non-empty write accesses of `fn`'s instructions, each with the first
        instruction that has it, in function order. A site checks these instead of every
        instruction: equal accesses map to equal footprints, so the first conflict is the same."""
        got = self._writes.get(fn.name)
        if got is None:
            first: dict[Access, Inst] = {}
            for i in fn.instructions():
                a = self.write_access(fn, i)
                if not a.empty() and a not in first:
                    first[a] = i
            got = self._writes[fn.name] = [(i, a) for a, i in first.items()]
        return got


    def writes_before_force(self, fn: Function, k: int, uses,
                            forced_after_return: bool = True) -> list[tuple[Inst, Access]]:
        """Like `callee_writes`, but only for the instructions of `fn` that may execute before
        a force of its parameter `k` in the lazy clone: after the first force the thunk's value
        is memoised (call-by-need), so later writes cannot change it, and a write after which
        the thunk is never forced cannot either.

        `uses` are `param_uses`' (instruction, where the value is needed) pairs; the
        rewriter forces right before each such instruction (a load of the -O0 spill slot, or
        any instruction with the parameter as operand), for a phi at the end of the incoming
        block, right before its terminator, or on the edge "%B->%J" in a block of its own (that
        cuts the edge, not the block's other successors), and for a select "%B?P" on one side
        of a branch that replaces it (that cuts nothing). The instructions that may run before the
        first force are those reachable from the entry without passing a force point: a block
        search in which a block with a force point contributes only the instructions before
        its first one and no successors. The force point itself is not included (the force
        precedes it: a call receiving the parameter, a store of its value).

        `forced_after_return=False` (the caller has no later use of the value): the thunk can
        only be forced inside the callee, so of those instructions only the ones from which a
        force point is still reachable count (in a block with a force point: the instructions
        before it; in another block: when a successor reaches a block with a force point).
        Terminators the block graph does not model (invoke, callbr, ...) → every instruction
        (callee_writes)."""
        key = (fn.name, k, forced_after_return)
        got = self._writes_before.get(key)
        if got is not None:
            return got
        idx = self.index(fn)
        if any(b.terminator.opcode not in ("br", "switch", "ret", "unreachable") for b in fn.blocks):
            got = self._writes_before[key] = self.callee_writes(fn)
            return got
        cut: dict[str, int] = {}
        cut_edges: set[tuple[str, str]] = set()   # "%B->%J": forced on that edge only
        conditional: set[str] = set()             # "%B?P" (a select): forced on one side, cuts nothing
        for inst, where in uses:
            if "->" in where:
                b, j = where.split("->", 1)
                if b not in idx.blocks or j not in idx.blocks:
                    got = self._writes_before[key] = self.callee_writes(fn)
                    return got
                cut_edges.add((b, j))
                continue
            if "?" in where:
                b = where.split("?", 1)[0]
                if b not in idx.blocks:
                    got = self._writes_before[key] = self.callee_writes(fn)
                    return got
                conditional.add(b)
                continue
            blk = where
            if blk not in idx.blocks:
                got = self._writes_before[key] = self.callee_writes(fn)
                return got
            at = len(idx.block(blk).insts) - 1 if inst.opcode == "phi" else idx.position(inst)
            cut[blk] = min(at, cut.get(blk, at))
        entry = fn.blocks[0].label
        seen, work = {entry}, [entry]
        while work:
            lab = work.pop()
            if lab not in cut:
                for s in idx.succ[lab]:
                    if s not in seen and (lab, s) not in cut_edges:
                        seen.add(s)
                        work.append(s)
        if forced_after_return:
            counts = seen
        else:
            # blocks from which a block with a force point is reachable (inclusive)
            forcing = set(cut) | conditional | {b for b, _ in cut_edges}
            reach, work = set(forcing), list(forcing)
            while work:
                for p in idx.pred.get(work.pop(), ()):
                    if p not in reach:
                        reach.add(p)
                        work.append(p)
            counts = {b for b in seen if b in forcing or any(s in reach for s in idx.succ[b])}
        # in function order, each distinct access with its first instruction, as callee_writes
        first: dict[Access, Inst] = {}
        for b in fn.blocks:
            if b.label not in counts:
                continue
            for i in b.insts[:cut.get(b.label, len(b.insts))]:
                a = self.write_access(fn, i)
                if not a.empty() and a not in first:
                    first[a] = i
        got = self._writes_before[key] = [(i, a) for a, i in first.items()]
        return got


def errno_only(mem: dict[str, str]) -> bool:
    """A call that accesses no memory but errno, e.g. a libm function under math-errno
    (`memory(errnomem: write)`, LLVM's TargetLibraryInfo knowledge via inferattrs): it cannot
    synchronise with another thread, since that needs an access to memory another thread can
    see and errno is thread-local (LangRef `nosync`: communication through memory). Trust base:
    this reading of `memory(errnomem: ...)`, the only place we imply `nosync` ourselves."""
    return all(mem[loc] == "none" for loc in LOCS if loc != "errnomem")


def _load_ptr(inst: Inst) -> str | None:
    m = re.match(r'^%\S+ = load (?:atomic )?(?:volatile )?(.*)$', strip_metadata(inst.text))
    if not m:
        return None
    parts = split_top(m.group(1))
    if len(parts) < 2:
        return None
    toks = tokenize_attrs(parts[1])
    return toks[-1] if toks else None


def _store_ptr(inst: Inst) -> str | None:
    body = strip_metadata(inst.text)
    m = re.match(r'^store (?:atomic )?(?:volatile )?(.*)$', body)
    if not m:
        return None
    parts = split_top(m.group(1))
    if len(parts) < 2:
        return None
    toks = tokenize_attrs(parts[1])
    return toks[-1] if toks else None


def may_alias(a: tuple, b: tuple) -> bool:
    if a == UNKNOWN or b == UNKNOWN:
        return True
    if a[0] == "param" or b[0] == "param":
        # caller parameters: may point to any global or escaped memory, never to our own
        # non-escaping allocas (those were checked by norm()).
        other = b if a[0] == "param" else a
        return other[0] != "alloca"
    return a == b


def conflicts(read: Footprint, write: Footprint) -> str:
    """'' when `write` cannot change anything `read` covers; else a reason."""
    if read.empty():
        return ""
    if write.sync and (read.objs or read.other or read.errno):
        return "synchronisation point between definition and use"
    for r in read.objs:
        for w in write.objs:
            if may_alias(r, w):
                return f"write to {_fmt(w)} may alias read of {_fmt(r)}"
        if write.other and r[0] != "alloca":
            return f"write to non-argument memory may alias read of {_fmt(r)}"
        if write.errno and r == UNKNOWN:
            return "errno write may alias read"
    if read.other:
        for w in write.objs:
            if w[0] != "alloca":
                return f"write to {_fmt(w)} may alias non-argument memory read"
        if write.other:
            return "writes non-argument memory that the computation reads"
    if read.inaccessible and write.inaccessible:
        return "inaccessible memory written and read"
    if read.errno and (write.errno or UNKNOWN in write.objs):
        return "errno written and read"
    return ""


def _fmt(o: tuple) -> str:
    if o[0] == "global":
        return o[1]
    if o[0] == "alloca":
        return f"alloca {o[2]} in {o[1]}"
    if o[0] == "param":
        return f"parameter {o[2]} of {o[1]}"
    return "unknown memory"
