"""Lexical helpers for LLVM IR text, shared by every reader of IR in lazycc.

One bracket-aware splitter (`split_top`), one attribute tokenizer (`tokenize_attrs`), one
paren matcher (`matching_paren`), one leading-type splitter (`split_type`), one
`memory(...)` parser (`memory_items` / `parse_memory`) and one table of linkage,
preemption, visibility and DLL-storage words.  llvmlite exposes the structure of a
module but not the text of call-site/parameter attributes, so the places that need
those read the printed text with these helpers (and only these); `parse_call_site` takes a
call instruction's text apart once (callee, return attributes, argument texts, function
attributes), cached per text.

All helpers treat `"..."` as opaque (a quoted name or string attribute may hold any
bracket or separator) and nest over (), [], {} and <>.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_OPEN = "([{<"
_CLOSE = ")]}>"


def _scan(s: str, start: int = 0, opens: str = _OPEN, closes: str = _CLOSE):
    """(index, char, depth after it) of every character of `s[start:]` outside `"..."` (the
    quotes themselves are skipped): the one bracket scanner behind every helper here."""
    depth, quote = 0, False
    for i in range(start, len(s)):
        ch = s[i]
        if quote:
            if ch == '"':
                quote = False
            continue
        if ch == '"':
            quote = True
            continue
        if ch in opens:
            depth += 1
        elif ch in closes:
            depth -= 1
        yield i, ch, depth


def split_top(s: str, sep: str = ",") -> list[str]:
    """Split `s` on `sep` outside (), [], {}, <> and quotes; items are stripped, an empty
    last item is dropped (`""` -> `[]`, `"a, b"` -> `["a", "b"]`)."""
    out: list[str] = []
    start = 0
    for i, ch, depth in _scan(s):
        if ch == sep and depth == 0:
            out.append(s[start:i].strip())
            start = i + 1
    tail = s[start:].strip()
    if tail:
        out.append(tail)
    return out


def tokenize_attrs(s: str) -> list[str]:
    """Attribute-list tokens split at top-level whitespace: keeps `memory(read, argmem: none)`
    and `"a"="b c"` whole (only parentheses nest here: `align 8` is two tokens)."""
    toks, start = [], 0
    for i, ch, depth in _scan(s, opens="(", closes=")"):
        if ch.isspace() and depth == 0:
            if i > start:
                toks.append(s[start:i])
            start = i + 1
    if start < len(s):
        toks.append(s[start:])
    return toks


def matching_paren(s: str, start: int) -> int:
    """Index of the ')' matching the '(' at `start` (quotes respected); ValueError if none."""
    for i, ch, depth in _scan(s, start, opens="(", closes=")"):
        if ch == ")" and depth == 0:
            return i
    raise ValueError(f"unbalanced parentheses: {s[:120]}")


def split_type(s: str) -> tuple[str, str]:
    """Split a leading type off `s` at the first top-level space: `"{ i32, i8 } %x"` ->
    `("{ i32, i8 }", "%x")`; `(s, "")` when there is none."""
    s = s.strip()
    for i, ch, depth in _scan(s):
        if ch == " " and depth == 0:
            return s[:i], s[i + 1:]
    return s, ""


def params_text(header: str) -> tuple[int, int] | None:
    """(index of '(' , index of its ')') of the parameter list of a define/declare line or of a
    call's argument list that starts at the first '(' after the first '@'; None if unbalanced."""
    start = header.find("(", header.find("@"))
    if start < 0:
        return None
    try:
        return start, matching_paren(header, start)
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# call sites
# ---------------------------------------------------------------------------

_CALLEE = re.compile(r"@([\w.$\-]+|\"[^\"]+\")\(")
_CALL_WORD = re.compile(r"\bcall\b")
_FN_TYPE_TAIL = re.compile(r"\([^()]*\)\s*$")     # a varargs call's function type


@dataclass(frozen=True)
class CallSite:
    """A direct call's text taken apart: `callee` (the first `@name(`, unquoted; "" if none),
    `ret_attrs` (between `call` + cc/fast-math flags and the return type), `args` (each
    argument's text: type, attributes, value) and `fn_attrs` (the text after the argument
    list's ')': function attributes, bundles, metadata)."""
    callee: str
    ret_attrs: str
    args: tuple[str, ...]
    fn_attrs: str


@functools.lru_cache(maxsize=8192)
def parse_call_site(text: str, ty_text: str = "", name: str | None = None) -> CallSite:
    """Parse a call instruction's `text` (`ty_text`: its result type as printed).  `name`
    (default: the parsed callee) is the callee whose `@name(` the return attributes and
    arguments are read around (no arguments when `@name(` is absent, e.g. a quoted name)."""
    m = _CALLEE.search(text)
    callee = m.group(1).strip('"') if m else ""
    fn_attrs = ""
    if m:
        try:
            fn_attrs = text[matching_paren(text, m.end() - 1) + 1:]
        except ValueError:
            pass
    if name is None:
        name = callee
    marker = "@" + name + "("
    args = tuple(split_top(text[text.find(marker) + len(marker):].rsplit(")", 1)[0])) if marker in text else ()
    head = text.split(marker, 1)[0] if marker in text else text.split('@"' + name + '"(', 1)[0]
    if head.startswith("%"):
        head = head.split(" = ", 1)[-1]          # the result's name may contain "call"
    head = _CALL_WORD.split(head, 1)[-1]
    head = _FN_TYPE_TAIL.sub("", head.strip())
    if head.strip().endswith(ty_text or "\0"):
        head = head.strip()[: -len(ty_text)]
    else:
        head = " ".join(tokenize_attrs(head)[:-1])   # drop the return type
    return CallSite(callee, head.strip(), args, fn_attrs)


# ---------------------------------------------------------------------------
# memory(...)
# ---------------------------------------------------------------------------

MEMORY_LOCATIONS = ("argmem", "inaccessiblemem", "errnomem", "other")
MEMORY_KINDS = ("none", "read", "write", "readwrite")


def memory_items(token: str) -> tuple[str | None, dict[str, str]]:
    """(default kind or None, {location: kind}) of one `memory(...)` token, as written:
    `memory(read, argmem: none)` -> ("read", {"argmem": "none"})."""
    inner = token[token.index("(") + 1:token.rindex(")")]
    default: str | None = None
    explicit: dict[str, str] = {}
    for item in split_top(inner):
        if ":" in item:
            loc, kind = (x.strip() for x in item.split(":", 1))
            explicit[loc] = kind
        else:
            default = item.strip()
    return default, explicit


def join_kinds(a: str, b: str) -> str:
    """The access kind allowing both `a` and `b`."""
    r = ("read" in a or "read" in b)
    w = ("write" in a or "write" in b)
    return "readwrite" if r and w else "read" if r else "write" if w else "none"


def parse_memory(attrs: list[str]) -> dict[str, str] | None:
    """Location -> 'none'|'read'|'write'|'readwrite' from the first `memory(...)`, `readnone`
    or `readonly` token of `attrs`; None when there is none.

    Unlisted locations take the default part (`none` when there is no default part); LLVM
    22's target_mem* locations are folded into inaccessiblemem (join)."""
    for t in attrs:
        if t.startswith("memory("):
            d, explicit = memory_items(t)
            default = "none" if d is None else d
            res = {loc: explicit.get(loc, default) for loc in MEMORY_LOCATIONS}
            res["inaccessiblemem"] = join_kinds(join_kinds(res["inaccessiblemem"], explicit.get("target_mem0", default)),
                                                explicit.get("target_mem1", default))
            return res
        if t == "readnone":
            return {loc: "none" for loc in MEMORY_LOCATIONS}
        if t == "readonly":
            return {loc: "read" for loc in MEMORY_LOCATIONS}
    return None


# ---------------------------------------------------------------------------
# Linkage, preemption, visibility, DLL storage (the words a define/declare/global may carry)
# ---------------------------------------------------------------------------

LINKAGES = ("private", "internal", "available_externally", "linkonce", "weak", "common", "appending",
            "extern_weak", "linkonce_odr", "weak_odr", "external")
PREEMPTION = ("dso_local", "dso_preemptable")
VISIBILITIES = ("default", "hidden", "protected")
DLL_STORAGE = ("dllimport", "dllexport")
# Every word that says where a symbol lives or who sees it.
SYMBOL_WORDS = frozenset(LINKAGES + PREEMPTION + VISIBILITIES + DLL_STORAGE)
# Linkages local to the module (llvmlite's `Linkage` names and IR words coincide for these).
LOCAL_LINKAGES = frozenset({"internal", "private"})
# IR words of linkages whose definition another object may replace at link time (a body
# here is not necessarily the one a call reaches).
INTERPOSABLE_LINKAGES = ("weak", "linkonce", "extern_weak", "common")
# The same as llvmlite's `Linkage` enum names (plus LLVM's legacy kinds).
INTERPOSABLE_LINKAGE_KINDS = frozenset({"linkonce_any", "weak_any", "common", "external_weak",
                                        "linker_private_weak", "ghost"})
# IR words before a global's value that let another module's definition or initializer win,
# so a constant's initializer here is not necessarily the one read.
REPLACEABLE_WORDS = ("external", "extern_weak", "weak", "weak_odr", "linkonce", "linkonce_odr", "common",
                     "available_externally", "externally_initialized")
