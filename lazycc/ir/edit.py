"""Slot-based editing of functions in a module's printed text (`lazycc.ir.text`).

Every original instruction of a function owns a *slot*: a list of output lines,
initially its own text.  Edits address original positions (block label, index), so
removing or expanding one instruction never moves another's; the function is printed
back block by block.  Used by the rewriter (callers, lazy clones) and by the
validator's harness (explicit `noundef` promises, indirect-call promotion), instead
of editing with regexes over the whole module.  Define-line attribute edits of a whole
module's text: `add_fn_attr`, `strip_fn_attr`.

A slot line that is a label (`name:`) starts a new block in the output and is printed
unindented.
"""
from __future__ import annotations

import re

from lazycc.ir.text import LABEL_LINE_RE, LOCAL_RE, Block, Function, Module, parse_module


def subst(text: str, mapping: dict[str, str]) -> str:
    """`text` with each local name (`%x`, `%5`) in `mapping` replaced."""
    return LOCAL_RE.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def emit_body(blocks: list[Block], lines_of: dict[str, list[str]] | None = None) -> list[str]:
    """The body lines of `blocks` (labels of explicit blocks, then each block's lines:
    `lines_of[label]` when given, else its instructions' text)."""
    out = []
    for b in blocks:
        if b.explicit:
            out.append("")
            out.append(f"{b.label[1:]}:")
        body = lines_of[b.label] if lines_of and b.label in lines_of else [i.text for i in b.insts]
        out.extend(t if LABEL_LINE_RE.match(t) else "  " + t for t in body)
    return out


def function_text(fn: Function, lines_of: dict[str, list[str]] | None = None, header: str | None = None) -> str:
    return "\n".join([fn.header if header is None else header] + emit_body(fn.blocks, lines_of) + ["}"])


def reparse(fn: Function, lines_of: dict[str, list[str]]) -> Function:
    """`fn` with its blocks' lines replaced, parsed again (positions renumbered)."""
    return parse_module(function_text(fn, lines_of)).functions[fn.name]


class SlotEdit:
    """One function edited by instruction slots (see the module docstring)."""

    def __init__(self, fn: Function, keep_debug: bool = False):
        """`keep_debug`: each slot starts with the `#dbg_` records attached to its instruction
        (else they are dropped, as the rewriter does: a deferred value's record would dangle)."""
        self.fn = fn
        self.header = fn.header
        self.slots: dict[str, list[list[str]]] = {
            b.label: [[*(i.debug if keep_debug else ()), i.text] for i in b.insts] for b in fn.blocks}
        self.entry_prefix: list[str] = []

    def __getitem__(self, at: tuple[str, int]) -> list[str]:
        return self.slots[at[0]][at[1]]

    def __setitem__(self, at: tuple[str, int], lines: list[str]) -> None:
        self.slots[at[0]][at[1]] = list(lines)

    def insert_before(self, label: str, pos: int, lines: list[str]) -> None:
        self.slots[label][pos][:0] = lines

    def lines_of(self) -> dict[str, list[str]]:
        out = {lab: [line for slot in slots for line in slot] for lab, slots in self.slots.items()}
        if self.entry_prefix:
            entry = self.fn.blocks[0].label
            out[entry] = self.entry_prefix + out[entry]
        return out

    def text(self) -> str:
        return function_text(self.fn, self.lines_of(), self.header)


def splice(mod: Module, replaced: dict[str, str], at_tables: list[str] = (), at_end: list[str] = ()) -> str:
    """The module's text with the functions in `replaced` (name -> new text) swapped in;
    `at_tables` is inserted before the first attribute-group or metadata line, or, when the
    module has none, `at_end` is appended."""
    lines = mod.lines
    starts = {f.start_line: f for f in mod.functions.values() if f.name in replaced}
    out: list[str] = []
    i, inserted = 0, False
    while i < len(lines):
        if i in starts:
            f = starts[i]
            out.append(replaced[f.name])
            i = f.end_line + 1
            continue
        line = lines[i]
        if not inserted and (line.startswith("attributes #") or line.startswith("!")):
            out.extend(at_tables)
            inserted = True
        out.append(line)
        i += 1
    if not inserted:
        out.extend(at_end)
    return "\n".join(out)


def add_fn_attr(text: str, names: set[str], attr: str) -> str:
    """Insert `attr` as an inline function attribute on the define lines of `names` (`@f`)
    that do not carry it yet: after the parameter list, before "#N"/"{"."""
    out = []
    for line in text.split("\n"):
        if line.startswith("define "):
            m = re.search(r'@([-\w.$]+)\(', line)
            if m and "@" + m.group(1) in names and not re.search(rf'\b{attr}\b', line.split(")")[-1]):
                idx = line.rfind(" #")
                if idx < 0 or idx < line.rfind(")"):
                    idx = line.rfind(" {")
                line = line[:idx] + f" {attr}" + line[idx:]
        out.append(line)
    return "\n".join(out)


def strip_fn_attr(text: str, attr: str) -> str:
    """`text` without the function attribute word `attr` on define lines and attribute groups."""
    pat = re.compile(" " + re.escape(attr) + r"\b")
    lines = []
    for line in text.split("\n"):
        if line.startswith("attributes #") or line.startswith("define "):
            line = pat.sub("", line)
        lines.append(line)
    return "\n".join(lines)
