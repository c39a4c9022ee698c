"""The printed-text view of a module: a small, line-oriented model of LLVM IR text (as
printed by clang-22/opt-22), for the candidate analysis and for editing (`lazycc.ir.edit`).

Why text and not only llvmlite (`lazycc.ir.model`): the rewriter edits the module as
text, so the analysis must name things exactly as the text does (numbered values,
labels, attribute groups, one slot per printed instruction). llvmlite is still used
to verify every output (`lazycc.ir.parse_and_verify`). The parser only needs what lazification
touches: functions, parameters, blocks, instructions, operands, attribute
groups and metadata nodes; anything it does not understand makes the
analysis answer "not safe", never "safe".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from lazycc.ir import cfg
from lazycc.ir.attrs import matching_paren, split_top, tokenize_attrs  # noqa: F401 (re-exported)

# A local value or label reference: %name or %123 (quoted names are refused by callers).
LOCAL_RE = re.compile(r'%(?:[-a-zA-Z$._][-a-zA-Z$._0-9]*|[0-9]+)(?![-a-zA-Z$._0-9])')
GLOBAL_RE = re.compile(r'@(?:[-a-zA-Z$._][-a-zA-Z$._0-9]*|[0-9]+)(?![-a-zA-Z$._0-9])')
LABEL_LINE_RE = re.compile(r'^([-a-zA-Z$._0-9]+):(\s|$)')
ATTR_GROUP_RE = re.compile(r'^attributes #(\d+) = \{ (.*) \}\s*$')
META_RE = re.compile(r'^(!\d+) = (.*)$')
DBG_ATTACH_RE = re.compile(r',\s*!dbg !\d+')
TRAILING_GROUP_RE = re.compile(r'\s#\d+(?=\s|$)')
NAMED_INST_RE = re.compile(r'^(%[-a-zA-Z$._0-9]+) = (.*)$')
MD_ATTACH_RE = re.compile(r',\s*!(?:[a-zA-Z_.][-a-zA-Z0-9_.]*)\s+!(?:\d+|\{[^}]*\})')


def locals_in(text: str) -> list[str]:
    """Local names referenced in an instruction text (metadata attachments excluded)."""
    body = strip_metadata(text)
    return LOCAL_RE.findall(body)


def strip_metadata(text: str) -> str:
    """Instruction text without trailing `, !kind !N` attachments."""
    return MD_ATTACH_RE.sub("", text)


@dataclass
class Param:
    type: str
    attrs: str
    name: str          # "%0" or "%x"


@dataclass
class Call:
    """A parsed `call` instruction (operand text kept verbatim)."""

    callee: str | None          # "@f" for a direct call, None when indirect
    args: list[tuple[str, str, str]]   # (type, attrs, value)
    tail: str                   # "", "tail", "musttail", "notail"
    fn_attr_groups: list[str]   # "#N" refs after the argument list
    prefix: str                 # text before the callee operand (after "call")
    suffix: str                 # text after the argument list
    varargs_type: bool          # explicit function type in the call (varargs callee)


@dataclass
class Inst:
    text: str                   # stripped line
    name: str | None            # "%5" or None
    opcode: str
    block: str
    call: Call | None = None
    _ops: tuple[str, ...] = field(default=(), repr=False, compare=False)
    _ops_of: str | None = field(default=None, repr=False, compare=False)
    debug: tuple[str, ...] = field(default=(), repr=False, compare=False)   # `#dbg_` records before it

    @property
    def ops(self) -> tuple[str, ...]:
        """Local operands (the result name excluded), parsed once per text: the analysis asks
        for them at every site, the regexes are what made it slow."""
        if self._ops_of is not self.text:
            ops = locals_in(self.text)
            if self.name and self.name in ops[:1]:
                ops = ops[1:]
            self._ops, self._ops_of = tuple(ops), self.text
        return self._ops

    def operands(self) -> list[str]:
        return list(self.ops)


@dataclass
class Block:
    label: str                  # "%7" form
    insts: list[Inst] = field(default_factory=list)
    explicit: bool = True       # False for an unlabelled entry block

    @property
    def terminator(self) -> Inst:
        return self.insts[-1]

    def successors(self) -> list[str]:
        t = self.terminator
        if t.opcode in ("br", "switch", "indirectbr", "callbr"):
            return re.findall(r'label (%[-a-zA-Z$._0-9]+)', strip_metadata(t.text))
        return []


@dataclass
class Function:
    name: str                   # "@f"
    header: str                 # the `define`/`declare` line
    is_decl: bool
    ret_type: str
    params: list[Param]
    varargs: bool
    attr_groups: list[str]      # "#N" refs on the header
    inline_attrs: list[str]
    blocks: list[Block] = field(default_factory=list)
    start_line: int = 0         # index of header line in module lines
    end_line: int = 0           # index of closing "}"

    def block(self, label: str) -> Block:
        for b in self.blocks:
            if b.label == label:
                return b
        raise KeyError(label)

    def instructions(self):
        for b in self.blocks:
            yield from b.insts

    def defs(self) -> dict[str, Inst]:
        return {i.name: i for i in self.instructions() if i.name}

    def size(self) -> int:
        return sum(len(b.insts) for b in self.blocks)

    def preds(self) -> dict[str, list[str]]:
        return cfg.predecessors(self.succ())

    def succ(self) -> dict[str, list[str]]:
        return {b.label: b.successors() for b in self.blocks}

    def back_edges(self) -> set[tuple[str, str]]:
        """Edges u->v with v on the DFS stack: loop back edges (any loop, reducible or not)."""
        return cfg.dfs(self.succ(), self.blocks[0].label)[1]

    def loop_depths(self) -> dict[str, int]:
        """Natural-loop nesting depth per block (from DFS back edges)."""
        return cfg.loop_depths(self.succ(), self.back_edges())


class FunctionIndex:
    """What the analysis asks about one function at every call site, computed once.

    Each of these used to be a scan of the whole function per site, per argument or per
    value, which made the analysis quadratic in function size. Valid as long as the function
    is not edited (the analysis never edits; the rewriter does not use an index).
    """

    def __init__(self, fn: Function):
        self.fn = fn

    @cached_property
    def defs(self) -> dict[str, Inst]:
        return self.fn.defs()

    @cached_property
    def users(self) -> dict[str, list[Inst]]:
        """Value -> the instructions that use it, each once, in function order."""
        users: dict[str, list[Inst]] = {}
        for i in self.fn.instructions():
            for op in dict.fromkeys(i.ops):
                users.setdefault(op, []).append(i)
        return users

    @cached_property
    def blocks(self) -> dict[str, Block]:
        out: dict[str, Block] = {}
        for b in self.fn.blocks:
            out.setdefault(b.label, b)
        return out

    def block(self, label: str) -> Block:
        """`Function.block` without the linear search (KeyError alike)."""
        return self.blocks[label]

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {id(i): n for b in self.fn.blocks for n, i in enumerate(b.insts)}

    def position(self, inst: Inst) -> int:
        """Index of this very instruction in its block. By identity, not `insts.index`: `Inst`
        compares by value, so two unnamed instructions with the same text (e.g. two identical
        void calls) would share the first one's position."""
        return self._positions[id(inst)]

    @cached_property
    def succ(self) -> dict[str, list[str]]:
        return {b.label: b.successors() for b in self.fn.blocks}

    @cached_property
    def _dfs(self) -> tuple[list[str], set[tuple[str, str]]]:
        return cfg.dfs(self.succ, self.fn.blocks[0].label)

    @cached_property
    def back_edges(self) -> set[tuple[str, str]]:
        return self._dfs[1]

    @cached_property
    def loop_depths(self) -> dict[str, int]:
        return cfg.loop_depths(self.succ, self.back_edges)

    @cached_property
    def size(self) -> int:
        return self.fn.size()

    @cached_property
    def idom(self) -> dict[str, str]:
        """Reachable block -> its immediate dominator (the entry's is itself)."""
        return cfg.immediate_dominators(self.succ, self.fn.blocks[0].label)

    def dominates(self, a: str, b: str) -> bool:
        return cfg.dominates(self.idom, a, b)

    @cached_property
    def pred(self) -> dict[str, list[str]]:
        return cfg.predecessors(self.succ)

    @cached_property
    def reducible(self) -> bool:
        return cfg.is_reducible(self.back_edges, self.idom)

    @cached_property
    def loops_of(self) -> dict[str, frozenset[str]]:
        """Block -> the headers of the natural loops that contain it (meaningful when the CFG
        is reducible)."""
        out: dict[str, set[str]] = {b: set() for b in self.succ}
        for header, body in cfg.natural_loops(self.back_edges, self.pred).items():
            for b in body:
                out.setdefault(b, set()).add(header)
        return {b: frozenset(h) for b, h in out.items()}

    @cached_property
    def rpo_index(self) -> dict[str, int]:
        """Reachable block -> its index in reverse post-order (a dominator comes first)."""
        return {b: n for n, b in enumerate(self.forward_order)}

    @cached_property
    def forward_order(self) -> list[str]:
        """Labels reachable from the entry in topological order of the forward (non-back) edges
        (the DFS's reverse post-order)."""
        return self._dfs[0]


# one `[ value, %block ]` entry of a phi
PHI_ENTRY = re.compile(r'\[\s*([^,\]]+),\s*(%[-\w.$]+)\s*\]')


@dataclass(frozen=True)
class Select:
    """A scalar `select i1` (operands as printed): the shape the lazy clone can turn into a
    branch that forces only on the side that needs the value."""
    name: str
    cond: str
    ty: str
    true_value: str
    false_value: str
    prof: str           # the `!prof !N` reference, or ""


def parse_select(text: str) -> Select | None:
    m = re.match(r'^(%[-\w.$]+) = select (?:(?:nnan|ninf|nsz|arcp|contract|afn|reassoc|fast) )*(.*)$',
                 strip_metadata(text))
    if not m:
        return None
    parts = [p.strip() for p in split_top(m.group(2))]
    if len(parts) != 3 or not parts[0].startswith("i1 "):
        return None
    tv, fv = parts[1].rsplit(" ", 1), parts[2].rsplit(" ", 1)
    if len(tv) != 2 or len(fv) != 2 or tv[0] != fv[0]:
        return None
    prof = re.search(r'!prof (!\d+)', text)
    return Select(m.group(1), parts[0][3:].strip(), tv[0], tv[1], fv[1], prof.group(1) if prof else "")


def parse_call(text: str) -> Call | None:
    """Parse the operand part of a call instruction; None if it is not understood."""
    body = strip_metadata(text)
    m = re.match(r'^(?:%[-\w.$]+ = )?((?:tail |musttail |notail )?)call (.*)$', body)
    if not m:
        return None
    tail = m.group(1).strip()
    rest = m.group(2)
    # Callee operand: the first @name( or %name( at top level that starts the argument list.
    cm = re.search(r'(@(?:[-a-zA-Z$._][-a-zA-Z$._0-9]*|[0-9]+)|%(?:[-a-zA-Z$._][-a-zA-Z$._0-9]*|[0-9]+)|asm .*?")\(', rest)
    if not cm:
        return None
    prefix = rest[:cm.start()]
    opnd = cm.group(1)
    lp = cm.end() - 1
    try:
        rp = matching_paren(rest, lp)
    except ValueError:
        return None
    args = []
    for a in split_top(rest[lp + 1:rp]):
        if not a:
            continue
        parts = tokenize_attrs(a)
        if len(parts) < 2:
            return None
        # type may be multi-token (e.g. "{ i32, i32 }"); we only need first-token types here
        ty = parts[0]
        val = parts[-1]
        attrs = " ".join(parts[1:-1])
        args.append((ty, attrs, val))
    suffix = rest[rp + 1:]
    groups = re.findall(r'#\d+', suffix)
    callee = opnd if opnd.startswith("@") else None
    return Call(callee=callee, args=args, tail=tail, fn_attr_groups=groups, prefix=prefix,
                suffix=suffix, varargs_type="(" in prefix and "..." in prefix)


def _opcode(rhs: str) -> str:
    words = rhs.split()
    for w in words:
        if w in ("tail", "musttail", "notail"):
            continue
        return w
    return ""


def parse_header(line: str) -> tuple[str, str, list[Param], bool, list[str], list[str]]:
    """(name, ret_type, params, varargs, attr_groups, inline_attrs) of a define/declare line."""
    m = GLOBAL_RE.search(line[line.index(" "):])
    start = line.index(" ") + m.start()
    name = m.group(0)
    lp = start + len(name)
    rp = matching_paren(line, lp)
    before = line[:start].split()
    # before = ["define", linkage..., attrs..., ret type tokens]
    ret_type = before[-1] if before else "void"
    params, varargs = [], False
    for a in split_top(line[lp + 1:rp]):
        if not a:
            continue
        if a == "...":
            varargs = True
            continue
        parts = tokenize_attrs(a)
        if parts[-1].startswith("%"):
            params.append(Param(parts[0], " ".join(parts[1:-1]), parts[-1]))
        else:
            params.append(Param(parts[0], " ".join(parts[1:]), ""))
    after = line[rp + 1:]
    after = after.split("{")[0]
    groups = re.findall(r'#\d+', after)
    inline, skip = [], False
    for t in tokenize_attrs(after):
        if skip:
            skip = False
            continue
        if t in ("align", "section", "partition", "gc", "prefix", "prologue", "personality", "addrspace"):
            skip = True
            continue
        if t.startswith(("#", "!", "comdat", "addrspace(")) or t in ("unnamed_addr", "local_unnamed_addr"):
            continue
        inline.append(t)
    return name, ret_type, params, varargs, groups, inline


@dataclass
class Module:
    lines: list[str]
    functions: dict[str, Function]
    attr_groups: dict[str, list[str]]      # "#N" -> tokens
    metadata: dict[str, str]               # "!N" -> text
    globals: set[str]
    types: set[str] = field(default_factory=set)   # "%struct.x" named types (not values)

    def fn_attrs(self, fn: Function) -> list[str]:
        toks = list(fn.inline_attrs)
        for g in fn.attr_groups:
            toks.extend(self.attr_groups.get(g, []))
        return toks

    def loop_mustprogress(self, md: str) -> bool:
        """Does loop metadata node `md` carry llvm.loop.mustprogress (directly or one level down)?"""
        text = self.metadata.get(md, "")
        if "llvm.loop.mustprogress" in text:
            return True
        for ref in re.findall(r'!\d+', text):
            if ref != md and "llvm.loop.mustprogress" in self.metadata.get(ref, ""):
                return True
        return False


def parse_module(text: str) -> Module:
    lines = text.split("\n")
    functions: dict[str, Function] = {}
    groups: dict[str, list[str]] = {}
    metadata: dict[str, str] = {}
    gvars: set[str] = set()
    types: set[str] = set()
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.startswith("define ") or line.startswith("declare "):
            name, ret, params, varargs, ag, inl = parse_header(line)
            fn = Function(name=name, header=line, is_decl=line.startswith("declare"), ret_type=ret,
                          params=params, varargs=varargs, attr_groups=ag, inline_attrs=inl,
                          start_line=i, end_line=i)
            if not fn.is_decl:
                unnamed = sum(1 for p in params if re.fullmatch(r'%\d+', p.name))
                records: list[str] = []
                cur = Block(label=f"%{unnamed}", explicit=False)
                j = i + 1
                while j < n and lines[j] != "}":
                    raw = lines[j]
                    s = raw.strip()
                    j += 1
                    # multi-line instructions (switch tables): join until brackets balance
                    while s.count("[") > s.count("]") and j < n and lines[j] != "}":
                        s = s + " " + lines[j].strip()
                        j += 1
                    if s.startswith("#dbg_"):
                        records.append(s)
                        continue
                    if not s or s.startswith(";"):
                        continue
                    lm = LABEL_LINE_RE.match(s)
                    if lm and not raw.startswith(" "):
                        if cur.insts:
                            fn.blocks.append(cur)
                        lab = lm.group(1)
                        cur = Block(label=f"%{lab}")
                        continue
                    name_m = NAMED_INST_RE.match(s)
                    rhs = name_m.group(2) if name_m else s
                    op = _opcode(rhs)
                    inst = Inst(text=s, name=name_m.group(1) if name_m else None, opcode=op,
                                block=cur.label)
                    if op == "call":
                        inst.call = parse_call(s)
                    if records:
                        inst.debug, records = tuple(records), []
                    cur.insts.append(inst)
                if cur.insts:
                    fn.blocks.append(cur)
                fn.end_line = j
                i = j
            functions[name] = fn
        elif line.startswith("attributes #"):
            m = ATTR_GROUP_RE.match(line)
            if m:
                groups["#" + m.group(1)] = tokenize_attrs(m.group(2))
        elif line.startswith("!"):
            m = META_RE.match(line)
            if m:
                metadata[m.group(1)] = m.group(2)
        elif line.startswith("%") and " = type " in line:
            types.add(line.split(" = ", 1)[0])
        elif line.startswith("@"):
            gm = GLOBAL_RE.match(line)
            if gm:
                gvars.add(gm.group(0))
        i += 1
    return Module(lines=lines, functions=functions, attr_groups=groups, metadata=metadata, globals=gvars,
                  types=types)
