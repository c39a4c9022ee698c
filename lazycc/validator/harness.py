"""Lazification harness: turn an interprocedural rewrite into function pairs.

A lazified call targets a new clone, which no src call can match, so the
caller pair cannot be compared as is.  For each changed caller we inline, in
copies of both modules and with LLVM's own inliner, the functions the rewrite
is about: the original callees (src side, and tgt side where still called), the
lazy clones and the force functions (tgt side).  Clones are shared between
call sites, so a clone forces its thunk through the thunk's header (`load ptr`
then an indirect call); after the clone is inlined the thunk is a caller alloca
whose header was just stored, and store-to-load forwarding makes the call
direct so it can be inlined too.  We iterate a fixed pipeline, applied
identically to both sides, until no indirect call is left; if one remains (or
inlining was refused: recursion, varargs...) the verdict is UNSUPPORTED and
the rewrite is rejected.  The passes used are part of the trust base
(docs/validator.md).
"""
from __future__ import annotations

import hashlib
import re
import time
from functools import lru_cache

from lazycc.ir import ToolError, parse_and_verify, run_opt
from lazycc.ir.edit import SlotEdit
from lazycc.ir.model import IRReadError, parse as parse_ir, read_module
from lazycc.ir.text import parse_module as parse_text
from lazycc.ir.attrs import (INTERPOSABLE_LINKAGE_KINDS, INTERPOSABLE_LINKAGES, LOCAL_LINKAGES, matching_paren,
                             split_top, split_type, tokenize_attrs)
from lazycc.validator import smt as S
from lazycc.rewriter import THUNK_PREFIX
from lazycc.validator import module_budget
from lazycc.validator.feedback import diagnostic_for, malformed_diagnostic
from lazycc.validator.verdict import Bounds, FunctionVerdict, ValidationReport, Verdict
from lazycc.validator.refine import check_pair, function_budget

# Applied identically to src and tgt.  sroa/early-cse forward the thunk
# header store to the load feeding the indirect force call; always-inline then
# inlines the now-direct call.  Bump VALIDATOR_VERSION when changing this.
PIPELINE = "always-inline,function(sroa,early-cse<memssa>,instcombine<no-verify-fixpoint>),always-inline"
MAX_ROUNDS = 4




def _fn_body(text: str, name: str) -> str | None:
    m = re.search(r"^define [^\n]*@" + re.escape(name) + r"\(.*?^}", text, re.S | re.M)
    return m.group(0) if m else None


def has_indirect_call(text: str, name: str) -> bool:
    """True if `name`'s body calls through a pointer (the callee is a %value)."""
    body = _fn_body(text, name) or ""
    for line in body.splitlines():
        m = re.search(r"\b(?:call|invoke)\b(.*)$", line)
        if not m or "asm " in m.group(1):
            continue
        callee = re.search(r"([@%])(?:[\w.$\-]+|\"[^\"]+\")\(", m.group(1))
        if callee is None or callee.group(1) == "%":
            return True
    return False


def prepare(text: str, inline: set[str]) -> str:
    """Copy of `text` with `inline` marked alwaysinline and no optnone/noinline anywhere, and
    no alwaysinline elsewhere.

    Dropping optnone/noinline changes no behaviour (they are optimisation
    hints) and is applied to both sides alike; without it clang -O0 modules
    would never be inlined or simplified. Dropping alwaysinline from the other
    functions keeps an always-inline *caller* (lz4's LZ4_FORCE_INLINE helpers)
    from being inlined into its own users and deleted before it is checked
    ("missing after inlining").
    """
    out = []
    for line in text.splitlines():
        if line.startswith("attributes #"):
            line = re.sub(r"\b(noinline|optnone|alwaysinline)\b ?", "", line)
        elif line.startswith("define"):
            line = re.sub(r"\b(noinline|optnone|alwaysinline)\b ?", "", line.split("@", 1)[0]) + "@" + \
                line.split("@", 1)[1] if "@" in line else line
            m = re.search(r"@([\w.$\-]+|\"[^\"]+\")\(", line)
            if m and m.group(1).strip('"') in inline and line.rstrip().endswith("{"):
                head = line.rstrip()[:-1].rstrip()
                md = re.search(r"(\s!\w+\s+!\d+)+$", head)  # `!dbg !12` attachments come last
                cut = md.start() if md else len(head)
                line = head[:cut] + " alwaysinline" + head[cut:] + " {"
                line = re.sub(r"\b(noinline|optnone)\b ?", "", line)
        out.append(line)
    text = "\n".join(out) + "\n"
    # attribute groups referenced by inline-set defines may still say noinline: already stripped above
    return text


_INDIRECT = re.compile(r"^(\s*)(%[\w.$\-]+ = |%\"[^\"]+\" = )?(notail )?call ([^%@]*?)(%[\w.$\-]+|%\"[^\"]+\")\((.*)\)([^()]*)$")


def _force_signatures(text: str, forces: set[str]) -> dict[str, tuple[str, list[str]]]:
    """name -> (return type, parameter types) of each defined force function."""
    out = {}
    for name in forces:
        m = re.search(r"^define [^\n]*?(\S+) @" + re.escape(name) + r"\(([^)]*)\)", text, re.M)
        if m:
            params = [p.strip().split()[0] for p in split_top(m.group(2))] if m.group(2).strip() else []
            out[name] = (m.group(1), params)
    return out


def promote_indirect_calls(text: str, caller: str, forces: set[str]) -> tuple[str, int]:
    """Guard every indirect call in `caller` by comparisons with the force functions.

    `%r = call T %fp(args)` becomes `%r = call T @lazycc.tv.dispatch.N(ptr %fp, args)`
    where the new always-inline function is

        if (fp == @force_1) return force_1(args); ... else return fp(args);

    which is the same function as the indirect call (calling a pointer equal to
    @force_i calls @force_i), so the rewrite preserves behaviour exactly; after
    inlining, the direct branches get @force_i inlined and the fallback keeps the
    original indirect call, which the executor accepts only where it proves the
    path dead (the thunk header holds @force_i there).  Calls with `tail`/
    `musttail` markers, operand bundles or varargs are left alone (they stay
    UNSUPPORTED).  Returns (text, number of calls promoted).
    """
    body = _fn_body(text, caller)
    if body is None or not forces:
        return text, 0
    sigs = _force_signatures(text, forces)
    try:
        fn = next(iter(parse_text(body).functions.values()), None)
    except (ValueError, AttributeError, IndexError, KeyError):
        fn = None           # a name the text view does not read: no promotion (stays unsupported)
    if fn is None:
        return text, 0
    edit = SlotEdit(fn, keep_debug=True)
    extra, n = [], 0
    for b in fn.blocks:
        for j, ins in enumerate(b.insts):
            m = _INDIRECT.match(ins.text)
            if not m or '[ "' in ins.text or "..." in m.group(4):
                continue
            _indent, lhs, _nt, rpre, fp, args_s, tail = m.groups()
            fattrs, _, md = tail.partition(",")
            md = ", " + md.strip() if md.strip() else ""
            rpre_toks = rpre.split()
            if not rpre_toks:
                continue
            rty = rpre_toks[-1]
            ret_attrs = " ".join(rpre_toks[:-1])
            args = split_top(args_s) if args_s.strip() else []
            atys = [a.split()[0] for a in args]
            cands = [f for f, (frt, fps) in sorted(sigs.items()) if frt == rty and fps == atys]
            if not cands:
                continue
            name = f"lazycc.tv.dispatch.{n}"
            n += 1
            params = ", ".join(f"{t} %a{j}" for j, t in enumerate(atys))
            fwd = ", ".join(" ".join(a.split()[:-1]) + f" %a{j}" for j, a in enumerate(args))
            ret = "ret void" if rty == "void" else f"ret {rty} %r"
            res = "" if rty == "void" else "%r = "
            # every branch defines its own %rN
            d = [f"define internal {rty} @{name}(ptr %fp{', ' + params if params else ''}) alwaysinline {{",
                 "entry:"]
            for k, f in enumerate(cands):
                d += [f"  %c{k} = icmp eq ptr %fp, @{f}", f"  br i1 %c{k}, label %d{k}, label %n{k}",
                      f"d{k}:", f"  {res.replace('%r', f'%r{k}')}call {ret_attrs} {rty} @{f}({fwd}){fattrs}",
                      f"  {ret.replace('%r', f'%r{k}')}", f"n{k}:"]
            d += [f"  {res}call {ret_attrs} {rty} %fp({fwd}){fattrs}", f"  {ret}", "}"]
            extra.append("\n".join(d))
            edit[b.label, j] = edit[b.label, j][:-1] + [
                f"{lhs or ''}call {rty} @{name}(ptr {fp}{', ' + args_s if args_s.strip() else ''}){md}"]
    if not n:
        return text, 0
    return text.replace(body, edit.text()) + "\n" + "\n\n".join(extra) + "\n", n


def _calls_inline_set(text: str, caller: str, inline: set[str]) -> bool:
    body = _fn_body(text, caller) or ""
    return any(re.search(r"@" + re.escape(n) + r"\(", body) for n in inline)


def inline_for_check(text: str, inline: set[str], caller: str, forces: set[str] = frozenset()) -> str:
    """Inline `inline` into `caller`; guard thunk forces that stay indirect (see above)."""
    cur = prepare(text, inline)
    promoted = False
    for rounds in range(1, MAX_ROUNDS + 3):
        S.spend_units(len(cur) // 2)  # opt on the whole module (sqlite3.c: 18 MB, ~1.5 s per run)
        prev, cur = cur, run_opt(cur, PIPELINE)
        if promoted or (not _calls_inline_set(cur, caller, inline) and not has_indirect_call(cur, caller)):
            return cur
        if cur != prev and rounds <= MAX_ROUNDS:
            continue          # LLVM still makes progress (forwarding the header, inlining)
        # Promotion is always followed by one more run, which inlines the dispatch functions
        # (a caller whose forwarding took every round used to keep its dispatch calls: cJSON's
        # cJSON_DetachItemFromArray, "passes a local address to a call").
        cur, n = promote_indirect_calls(cur, caller, forces)
        if not n:
            return cur
        promoted = True
    return cur


_REPLACEABLE_DEFINE = re.compile(r'^define\s+(?:[\w.]+\s+)*?(' + "|".join(INTERPOSABLE_LINKAGES) + r')\s[^\n]*?@([-\w.$]+|"[^"]*")\(',
                           re.M)


@lru_cache(maxsize=4)
def _replaceable_bodies(text: str) -> dict[str, str]:
    """Defined functions another object may replace at link time -> their linkage (one scan
    of the module per check, not one per inlined name: sqlite3.c had 7,600 names x 18 MB)."""
    return {m.group(2).strip('"'): m.group(1) for m in _REPLACEABLE_DEFINE.finditer(text)}


def check_caller(orig_text: str, new_text: str, caller: str, inline: set[str], unroll: int, timeout_ms: int,
                 forces: set[str] = frozenset(), thunk_prefix: str | None = THUNK_PREFIX):
    """(PairResult or None, problem string): the refinement check of one changed caller."""
    replaceable = _replaceable_bodies(orig_text)
    for name in sorted(inline):
        if name in replaceable:
            # another object file may replace this body at link time: inlining it would
            # prove the rewrite against a definition the program may not run
            return None, (Verdict.UNSUPPORTED, f"@{name} is interposable ({replaceable[name]}): its body is not known")
    try:
        src_txt = inline_for_check(orig_text, inline, caller, forces)
        tgt_txt = inline_for_check(new_text, inline, caller, forces)
    except ToolError as e:
        return None, (Verdict.ERROR, f"opt failed while inlining: {e.stderr.strip()[:500]}")
    except S.OutOfBudget:
        return None, (Verdict.TIMEOUT, "Timeout")
    for side, t in (("source", src_txt), ("target", tgt_txt)):
        # Indirect calls left (the guarded fallbacks) are checked by the executor:
        # UNSUPPORTED unless it proves them unreachable.
        body = _fn_body(t, caller) or ""
        left = [n for n in inline if re.search(r"@" + re.escape(n) + r"\(", body)]
        if left:
            return None, (Verdict.UNSUPPORTED, f"could not inline @{left[0]} into {side} @{caller}")
    try:
        sm, tm = read_module(src_txt), read_module(tgt_txt)
    except IRReadError as e:
        return None, (Verdict.ERROR, f"inlined module does not verify: {e}")
    if caller not in sm.functions or caller not in tm.functions:
        return None, (Verdict.ERROR, f"@{caller} missing after inlining")
    # declarations may differ only by attributes the pipeline inferred on one side (facts about
    # the callee): both sides use what both state
    return check_pair(sm, sm.functions[caller], tm, tm.functions[caller], unroll, timeout_ms,
                      merge_decls=True, thunk_prefix=thunk_prefix), None


SELF_SUFFIX = ".tv.self"


def _call_re(names: list[str]) -> re.Pattern:
    return re.compile(r"\bcall [^@\n]*@(" + "|".join(re.escape(n) for n in names) + r")\(")


def unfold_self_calls(orig_text: str, bodies: dict[str, str], new_bodies: dict[str, str], caller: str,
                      clones: list[str]) -> tuple[str | None, str]:
    """A caller whose rewritten sites call a lazy clone of the caller itself (a recursive
    call's argument deferred): on the target side the clone is inlined, one level of the
    recursion unfolded; the source's matching calls stay opaque calls of the caller, which
    the check cannot relate to that body (a false "incorrect": SPASS's tab_SetSplitLevelsRec).
    So the source calls a copy of its own body at exactly those sites (`@X.tv.self`,
    inlined; calling an identical copy of a non-interposable function is calling it). The
    sites pair up in order: the k-th call of @X in the source is the k-th call of @X or of a
    clone in the target (the rewriter keeps calls in place). `bodies`, `new_bodies`: the
    modules' function bodies (`split_module`). Returns (the new source text, "") or (None,
    why not)."""
    if caller in _replaceable_bodies(orig_text):
        return None, f"@{caller} is interposable: a recursive call may reach another body"
    body = bodies.get(caller)
    tbody = new_bodies.get(caller)
    if body is None or tbody is None:
        return None, f"@{caller} missing"
    src_calls = list(_call_re([caller]).finditer(body))
    tgt_calls = [m.group(1) for m in _call_re([caller, *clones]).finditer(tbody)]
    if len(src_calls) != len(tgt_calls):
        return None, (f"recursive calls of @{caller} do not pair up ({len(src_calls)} in the source, "
                      f"{len(tgt_calls)} in the target)")
    copy_name = caller + SELF_SUFFIX
    out, last = [], 0
    for m, callee in zip(src_calls, tgt_calls):
        if callee != caller:
            out.append(body[last:m.start(1)] + copy_name)
            last = m.end(1)
    redirected = "".join(out) + body[last:]
    header, rest = body.split("\n", 1) if "\n" in body else (body, "")
    head, tail = header.split("@" + caller + "(", 1)
    head = re.sub(r"\b(" + "|".join(INTERPOSABLE_LINKAGES) + r"|internal|private|external|dso_local|dso_preemptable|"
                  r"hidden|protected|default|dllexport|dllimport)\b ?", "", head)
    copy = head.replace("define ", "define internal ", 1) + "@" + copy_name + "(" + tail + "\n" + rest
    return orig_text.replace(body, redirected, 1) + "\n" + copy + "\n", ""


def split_module(text: str) -> tuple[str, dict[str, str]]:
    """(skeleton, bodies): every function definition's text by name, and the rest of the module
    (globals, declarations, attribute groups, metadata)."""
    skeleton: list[str] = []
    bodies: dict[str, str] = {}
    current: list[str] | None = None
    name = ""
    for line in text.splitlines():
        if current is None and line.startswith("define "):
            m = re.search(r"@(" + _NAME + r")\(", line)
            name = m.group(1) if m else line
            current = [line]
            if line.rstrip().endswith("}"):
                bodies[name], current = line, None
            continue
        if current is not None:
            current.append(line)
            if line == "}":
                bodies[name], current = "\n".join(current), None
            continue
        if line.strip() and not line.startswith(";"):    # blank lines and comments carry nothing
            skeleton.append(line)
    return "\n".join(skeleton), bodies


def caller_key(caller: str, inline: set[str], forces: set[str], thunk_prefix: str | None,
               sides: tuple[tuple[str, dict[str, str]], ...]) -> str:
    """Digest of everything `check_caller` reads for `caller`: on both sides the module
    skeleton (globals, declarations, attribute groups, metadata), the caller's body, the
    bodies of the functions it reaches through the inline set (what the inliner can put into
    it) and the header lines of every function those bodies name (what a remaining call
    reads). Other functions' bodies are not read: each caller is checked on its own."""
    h = hashlib.sha256(f"{caller}|{thunk_prefix}".encode())
    for skeleton, bodies in sides:
        reach, named, work = {caller}, set(), [caller]
        while work:
            body = bodies.get(work.pop(), "")
            for ref in re.findall(r"@(" + _NAME + r")", body):
                named.add(ref)
                if ref in inline and ref not in reach:
                    reach.add(ref)
                    work.append(ref)
        h.update(hashlib.sha256(skeleton.encode()).digest())
        for name in sorted(reach):
            h.update(f"\0body {name} {name in forces}\0{bodies.get(name, '')}".encode())
        for name in sorted(named - reach):
            if name in bodies:
                h.update(f"\0header {name} {name in inline}\0{bodies[name].split(chr(10), 1)[0]}".encode())
    return h.hexdigest()


def validate(result, bounds, known=None):
    """Implementation of lazycc.validator.validate_rewrite (see there)."""
    t0 = time.perf_counter()
    ch = result.changes
    verdicts = []
    for label, mod in (("original", result.original), ("rewritten", result.rewritten)):
        try:
            parse_and_verify(mod.text)
        except RuntimeError as e:
            msg = malformed_diagnostic(label, str(e), mod.text)
            return ValidationReport(tuple(FunctionVerdict(c, Verdict.ERROR, "malformed IR", msg)
                                          for c in (ch.callers or ("<module>",))), bounds,
                                    time.perf_counter() - t0)
    inline = {c.original for c in ch.clones} | {c.name for c in ch.clones} | set(ch.force_functions)
    sides = (split_module(result.original.text), split_module(result.rewritten.text))
    for caller in ch.callers:
        key = caller_key(caller, inline - {caller}, set(ch.force_functions), ch.thunk_prefix, sides)
        earlier = (known or {}).get(caller)
        if earlier is not None and earlier.key and earlier.key == key:
            verdicts.append(earlier)
            continue
        if S.exhausted():  # the file's budget is spent: no inlining or reading for nothing
            verdicts.append(FunctionVerdict(caller, Verdict.TIMEOUT, "Timeout", f"{caller}: validation budget "
                                            "of the file exhausted"))
            continue
        t1 = time.perf_counter()
        walls = S.wall_clock_outcomes()
        src_text, caller_inline = result.original.text, inline - {caller}
        own = [c.name for c in ch.clones if c.original == caller]
        if own:    # a recursive call's argument deferred: unfold the source once too
            unfolded, why = unfold_self_calls(src_text, sides[0][1], sides[1][1], caller, own)
            if unfolded is None:
                verdicts.append(FunctionVerdict(caller, Verdict.UNSUPPORTED, why, f"{caller}: {why}",
                                                time.perf_counter() - t1))
                continue
            src_text, caller_inline = unfolded, caller_inline | {caller + SELF_SUFFIX}
        with function_budget(bounds) as spent:
            pr, problem = check_caller(src_text, result.rewritten.text, caller, caller_inline,
                                       bounds.unroll, bounds.timeout_ms, set(ch.force_functions), ch.thunk_prefix)
        effort = dict(wall_clock=S.wall_clock_outcomes() != walls, units=spent.units_used, steps=spent.steps_used)
        if pr is None:
            v, why = problem
            verdicts.append(FunctionVerdict(caller, v, why, f"{caller}: {why}", time.perf_counter() - t1, **effort))
            continue
        v = pr.verdict
        verdicts.append(FunctionVerdict(caller, v, pr.reason, diagnostic_for(pr) if v is not Verdict.VERIFIED else "",
                                        pr.time_s, hit_bound=pr.hit_bound, key=key, **effort))
    return ValidationReport(tuple(verdicts), bounds, time.perf_counter() - t0)


# ---------------------------------------------------------------------------
# Lazifications produced elsewhere: `validate_modules` (lazycc-tv --lazification)
#
# A pair of modules from another tool has no `Changes` record, so it is derived
# from structure alone, never from names:
#   changed  = defined in both, normalised text differs (attribute groups and
#              metadata expanded, debug info ignored) -> one check each;
#   added    = defined in TGT, not mentioned at all in SRC (lazy clones, force
#              functions...) -> inlined on the tgt side; they must be local
#              (internal/private) and carry no promise attribute that opt could
#              exploit before inlining them;
#   removed  = defined in SRC, not in TGT -> every TGT function still naming
#              it gets an ERROR verdict; an exported one is a module difference.
# The src callees inlined into a changed caller are the defined, non-
# interposable functions it calls fewer times in TGT than in SRC (the sites
# that were redirected).  Every other module-level difference (globals, named
# types, aliases, declarations, target, module asm, module flags) makes the
# verdict UNSUPPORTED: it is outside what a per-function check can see.
# ---------------------------------------------------------------------------

from dataclasses import dataclass, field  # noqa: E402

MODULE = "<module>"
_LOCAL_LINKAGES = LOCAL_LINKAGES
# Linkages whose body may be replaced by another definition at link time: the
# body in this module is not necessarily the one a call reaches (never inlined).
_INTERPOSABLE = INTERPOSABLE_LINKAGE_KINDS
# Function attributes an added (tgt-only) function may carry.  Anything else
# (memory(...), willreturn, speculatable, nosync, nofree, norecurse, noreturn,
# returned/noalias/nonnull... on the return value) is a promise that opt may
# exploit at a call before the call is inlined; it is not checked, so refused.
_ADDED_FN_ATTRS_OK = {
    "nounwind", "mustprogress", "uwtable", "noinline", "optnone", "alwaysinline", "inlinehint", "cold", "hot",
    "minsize", "optsize", "ssp", "sspreq", "sspstrong", "noredzone", "nocf_check", "null_pointer_is_valid",
    "no_callee_saved_registers", "nomerge", "noduplicate", "convergent", "strictfp", "noimplicitfloat",
    "sanitize_address", "sanitize_memory", "sanitize_thread", "sanitize_hwaddress", "safestack",
    "shadowcallstack", "mustprogress", "nosanitize_coverage", "disable_sanitizer_instrumentation",
    "presplitcoroutine", "uwtable(sync)", "uwtable(async)", "noprofile", "skipprofile", "fn_ret_thunk_extern",
    "naked",
}
_NAME = r'(?:[-a-zA-Z$._][-a-zA-Z$._0-9]*|"(?:[^"\\]|\\.)*"|\d+)'
_MD_REF = re.compile(r'(?<![\w"!])!(\d+)\b')
_ATTR_REF = re.compile(r"(?<![\w\"])#(\d+)\b")
_DBG_ATT = re.compile(r",?\s*!dbg !\d+")
_DBG_REC = re.compile(r"^\s*#dbg_\w+\(")


class ModuleReadError(IRReadError):
    """A module of the pair does not parse or verify; `side` is "source" or "target"."""

    def __init__(self, side: str, msg: str):
        super().__init__(msg)
        self.side = side


def _ir_name(name: str) -> str:
    return "@" + name if re.fullmatch(r"[-a-zA-Z$._][-a-zA-Z$._0-9]*", name) else '@"' + name + '"'


class _Canon:
    """Canonical text of one module's entities: attribute groups and metadata
    nodes expanded by content, so two modules can be compared whatever their
    numbering.  Debug-info nodes (DI*) and `!dbg` attachments are not
    semantic and become a placeholder.  A node graph too large to expand gives
    a token unique to this module (so the entity compares as different)."""

    LIMIT = 20_000

    def __init__(self, printed: str, tag: str):
        self.tag = tag
        self.md = {m.group(1): m.group(2) for m in re.finditer(r"^!(\d+) = (.*)$", printed, re.M)}
        self.attrs = {m.group(1): " ".join(m.group(2).split())
                      for m in re.finditer(r"^attributes #(\d+) = \{ (.*) \}$", printed, re.M)}
        self.memo: dict[str, str] = {}
        self.steps = 0

    def _node(self, n: str, stack: list[str]) -> tuple[str, int]:
        """(canonical text, shallowest stack depth a back reference reached)."""
        if n in self.memo:
            return self.memo[n], len(stack)
        if n in stack:
            return f"!^{len(stack) - stack.index(n)}", stack.index(n)
        self.steps += 1
        if self.steps > self.LIMIT:
            raise OverflowError
        body = self.md.get(n)
        if body is None:
            return f"!?{n}", len(stack)
        if re.match(r"(distinct )?!DI|(distinct )?!DW", body):
            return "!DI", len(stack)
        stack.append(n)
        low = len(stack)
        parts, pos = [], 0
        for m in _MD_REF.finditer(body):
            t, d = self._node(m.group(1), stack)
            low = min(low, d)
            parts += [body[pos:m.start()], t]
            pos = m.end()
        parts.append(body[pos:])
        stack.pop()
        text = "!<" + "".join(parts) + ">"
        if low >= len(stack) + 1:      # no back reference above this node: context-free
            self.memo[n] = text
        return text, low

    def text(self, s: str) -> str:
        s = "\n".join(l for l in s.splitlines() if not l.lstrip().startswith(";") and not _DBG_REC.match(l))
        s = _DBG_ATT.sub("", s)
        s = _ATTR_REF.sub(lambda m: "#{" + self.attrs.get(m.group(1), "?" + m.group(1)) + "}", s)
        self.steps = 0
        try:
            return _MD_REF.sub(lambda m: self._node(m.group(1), [])[0], s)
        except OverflowError:
            return s + f"\n; metadata too large to compare ({self.tag})"


@dataclass
class _Fn:
    name: str
    defined: bool
    linkage: str
    text: str            # canonical text (see _Canon)
    define_line: str     # as printed by LLVM, without " {"
    shape: tuple         # linkage, visibility, calling convention, section, comdat, ...
    calls: dict          # direct callee name -> number of call sites
    refs: set            # every @name the body mentions


@dataclass
class _ModInfo:
    funcs: dict
    entities: dict       # key -> (kind, canonical text, printed line)
    dso_preemptable_interposable: bool


def _split_define(line: str, name: str) -> tuple[str, str]:
    """(text before `@name(`, text after the parameter list's closing paren)."""
    i = line.find(_ir_name(name) + "(")
    if i < 0:
        return line, ""
    try:
        return line[:i], line[matching_paren(line, i + len(_ir_name(name))) + 1:]
    except ValueError:
        return line[:i], ""


def _shape(fn, define_line: str) -> tuple:
    pre, post = _split_define(define_line, fn.name)
    post = re.sub(r"#\d+", " ", post)
    cc = re.findall(r"\b(?:\w+cc|cc \d+)\b", pre)
    extra = re.findall(r'\b(?:local_unnamed_addr|unnamed_addr|section "[^"]*"|partition "[^"]*"|'
                       r'comdat(?:\(\$[^)]*\))?|align \d+|gc "[^"]*"|addrspace\(\d+\)|'
                       r'(?:prefix|prologue|personality) \S+ \S+)', post)
    return (fn.linkage.name, fn.visibility.name, fn.storage_class.name, "dso_local" in pre.split(), tuple(cc),
            tuple(extra))


def _calls_and_refs(text: str) -> tuple[dict, set]:
    calls: dict[str, int] = {}
    for line in text.splitlines():
        m = re.search(r"\b(?:call|invoke|callbr)\b(.*)$", line)
        if not m:
            continue
        c = re.search(r"@(" + _NAME + r")\(", m.group(1))
        if c:
            n = c.group(1)
            n = n[1:-1] if n.startswith('"') else n
            calls[n] = calls.get(n, 0) + 1
    refs = {(n[1:-1] if n.startswith('"') else n) for n in re.findall(r"@(" + _NAME + r")", text)}
    return calls, refs


def _read(text: str, side: str) -> _ModInfo:
    try:
        mod = parse_ir(text, own_context=True)
    except RuntimeError as e:
        raise ModuleReadError(side, str(e).strip()) from None
    printed = str(mod)
    canon = _Canon(printed, side)
    funcs = {}
    for f in mod.functions:
        # from the module's printout: printing one function alone numbers attribute
        # groups and metadata on its own, so #N/!N would not match the module's tables
        fm = re.search(r"^(?:define|declare) [^\n]*?" + re.escape(_ir_name(f.name)) + r"\((?:[^\n]*\{\n.*?^\}|[^\n]*)",
                       printed, re.S | re.M)
        body = fm.group(0) if fm else str(f)
        dl = next((l for l in body.splitlines() if l.startswith(("define ", "declare "))), "")
        ctext = canon.text(body)
        calls, refs = _calls_and_refs(body) if not f.is_declaration else ({}, set())
        # shown to the user: the line as written in the input (LLVM renumbers attribute groups)
        m = re.search(r"^(?:define|declare) [^\n]*?" + re.escape(_ir_name(f.name)) + r"\([^\n]*", text, re.M)
        shown = _DBG_ATT.sub("", m.group(0)).rstrip().rstrip("{").rstrip() if m else dl.rstrip(" {")
        funcs[f.name] = _Fn(f.name, not f.is_declaration, f.linkage.name, ctext, shown,
                            _shape(f, dl), calls, refs - {f.name})
    entities: dict[str, tuple[str, str, str]] = {}
    for line in printed.splitlines():
        if line.startswith(("target datalayout", "target triple")):
            entities[line.split("=")[0].strip()] = ("target", line, line)
        elif line.startswith("module asm"):
            k = "module asm"
            prev = entities.get(k, ("asm", "", ""))[1]
            entities[k] = ("asm", prev + line + "\n", "module asm ...")
        elif re.match(r"^%" + _NAME + r" = type ", line):
            entities[line.split(" = ")[0]] = ("type", line, line)
        elif re.match(r"^\$" + _NAME + r" = comdat ", line):
            entities[line.split(" = ")[0]] = ("comdat", line, line)
        elif re.match(r"^@" + _NAME + r" = ", line):
            key = line.split(" = ")[0]
            kind = "alias" if re.search(r"\b(alias|ifunc)\b", line.split(" = ", 1)[1].split("@")[0]) else "global"
            entities[key] = (kind, canon.text(line), _DBG_ATT.sub("", line))
        elif re.match(r"^!" + r"[-a-zA-Z$._][-a-zA-Z$._0-9]*" + r" = !\{", line):
            key = line.split(" = ")[0]
            if key not in ("!llvm.ident", "!llvm.dbg.cu"):
                entities[key] = ("named metadata", canon.text(line), line)
    preempt = bool(re.search(r'!"SemanticInterposition", i32 1\}', printed))
    return _ModInfo(funcs, entities, preempt)


@dataclass(frozen=True)
class ModuleProblem:
    """Something a per-function check cannot cover (UNSUPPORTED or ERROR)."""

    subject: str          # MODULE, or the function that gets the verdict
    src_line: str
    tgt_line: str
    message: str
    error: bool = False   # ERROR (a caller of a removed function) rather than UNSUPPORTED


@dataclass(frozen=True)
class ModuleDiff:
    """The Changes record of a pair of modules, derived from structure alone."""

    changed: tuple[str, ...] = ()       # defined in both, text differs: each gets a check
    added: tuple[str, ...] = ()         # defined in tgt only (inlined on the tgt side)
    removed: tuple[str, ...] = ()       # defined in src only
    inline: dict = field(default_factory=dict)   # changed function -> names inlined into it
    problems: tuple[ModuleProblem, ...] = ()
    define_lines: dict = field(default_factory=dict)   # name -> (src define line, tgt define line)


def _interposable(f: _Fn, info: _ModInfo) -> bool:
    if f.linkage in _INTERPOSABLE:
        return True
    return info.dso_preemptable_interposable and f.linkage not in _LOCAL_LINKAGES and not f.shape[3]


def _diff(s: _ModInfo, t: _ModInfo) -> ModuleDiff:
    changed, added, removed, problems = [], [], [], []
    lines = {}
    for name in sorted(set(s.funcs) | set(t.funcs)):
        sf, tf = s.funcs.get(name), t.funcs.get(name)
        lines[name] = (sf.define_line if sf else "", tf.define_line if tf else "")
        if sf and tf and sf.defined and tf.defined:
            if sf.text != tf.text:
                changed.append(name)
        elif tf and tf.defined:
            if sf is not None:
                problems.append(ModuleProblem(MODULE, sf.define_line, tf.define_line,
                                              f"target defines {_ir_name(name)}, which source only declares"))
            else:
                added.append(name)
                if tf.linkage not in _LOCAL_LINKAGES:
                    problems.append(ModuleProblem(MODULE, "", tf.define_line,
                                                  f"target adds {_ir_name(name)} with {tf.linkage} linkage "
                                                  "(only internal or private new functions can be inlined)"))
        elif sf and sf.defined:
            removed.append(name)
            if sf.linkage not in _LOCAL_LINKAGES:
                problems.append(ModuleProblem(MODULE, sf.define_line, tf.define_line if tf else "",
                                              f"source defines {_ir_name(name)} ({sf.linkage} linkage) "
                                              "but target does not"))
        elif sf and tf:      # declared in both
            if sf.text != tf.text:
                problems.append(ModuleProblem(MODULE, sf.define_line, tf.define_line,
                                              f"declaration of {_ir_name(name)} differs"))
        elif tf and not name.startswith("llvm."):
            problems.append(ModuleProblem(MODULE, "", tf.define_line,
                                          f"target declares {_ir_name(name)}, which source does not mention"))
    # Added functions: attributes are the target's unchecked promises.
    for name in added:
        tf = t.funcs[name]
        pre, post = _split_define(tf.text.split("\n", 1)[0], name)
        toks = []
        for grp in re.findall(r"#\{([^}]*)\}", post):
            toks += re.findall(r'"(?:[^"\\]|\\.)*"(?:="(?:[^"\\]|\\.)*")?|\w+(?:\([^)]*\))?', grp)
        toks += [w for w in re.findall(r'"(?:[^"\\]|\\.)*"(?:="(?:[^"\\]|\\.)*")?|\b\w+(?:\([^)]*\))?',
                                       re.sub(r"#\{[^}]*\}", " ", post))
                 if not re.fullmatch(r"local_unnamed_addr|unnamed_addr|section|comdat.*|align|\d+|gc|"
                                     r"personality|prefix|prologue|ptr", w)]
        bad = [w for w in toks if not w.startswith('"') and w not in _ADDED_FN_ATTRS_OK]
        # promises on the return value (before the return type) are refused too
        ret_words = [w for w in re.findall(r"\b(noalias|nonnull|dereferenceable(?:_or_null)?\(\d+\)|align \d+|"
                                           r"range\([^)]*\)|nofpclass\([^)]*\))", pre)]
        # parameter promises other than noundef (made explicit) go when the call is inlined
        for _, attrs, pn in _params(tf.text.split("\n", 1)[0], name):
            bad += [f"{a} (on {pn})" for a in attrs if a not in _ABI_PARAM_ATTRS | {"noundef"}]
        if bad or ret_words:
            problems.append(ModuleProblem(MODULE, "", tf.define_line,
                                          f"target adds {_ir_name(name)} with attribute(s) "
                                          f"{' '.join(bad + ret_words)} that the validator cannot check"))
    # Removed functions still named in the target.
    gone = set(removed)
    for name, tf in sorted(t.funcs.items()):
        hit = sorted(tf.refs & gone) if tf.defined else []
        if hit:
            problems.append(ModuleProblem(name, lines[name][0], tf.define_line,
                                          f"{_ir_name(name)} names {_ir_name(hit[0])}, which source defines "
                                          "but target does not", error=True))
    for key, (kind, _, line) in sorted(t.entities.items()):
        named = {n.strip('"') for n in re.findall(r"@(" + _NAME + r")", line.split(" = ", 1)[-1])} & gone
        if named:
            problems.append(ModuleProblem(MODULE, "", line, f"{kind} {key} names {_ir_name(sorted(named)[0])}, "
                                                            "which source defines but target does not"))
    # Shape of changed functions (linkage, visibility, calling convention, section...).
    for name in changed:
        if s.funcs[name].shape != t.funcs[name].shape:
            problems.append(ModuleProblem(name, *lines[name],
                                          f"linkage, visibility, calling convention or placement of "
                                          f"{_ir_name(name)} differs between source and target"))
    # Other module-level entities.
    for key in sorted(set(s.entities) | set(t.entities)):
        se, te = s.entities.get(key), t.entities.get(key)
        if se and te and se[1] == te[1]:
            continue
        if se and not te:
            kind = se[0]
            if kind in ("type", "comdat"):
                continue                      # nothing in the target names it any more
            if kind in ("global", "alias") and re.search(r"= (private|internal|external|extern_weak) ", se[2]) \
                    and not any(key[1:].strip('"') in f.refs for f in t.funcs.values()):
                continue                      # an unused local global or a declaration was dropped
            problems.append(ModuleProblem(MODULE, se[2], "", f"{kind} {key} is in source but not in target"))
        elif te and not se:
            if te[0] in ("type", "comdat"):
                continue                      # a new name; only new or changed code can use it
            problems.append(ModuleProblem(MODULE, "", te[2], f"target adds {te[0]} {key}"))
        else:
            problems.append(ModuleProblem(MODULE, se[2], te[2], f"{se[0]} {key} differs between source and target"))
    inline = {}
    new = set(added)
    for name in changed:
        # the new functions this caller reaches (through other new functions too)
        reach, todo = set(), [name]
        while todo:
            for r in t.funcs[todo.pop()].refs & new - reach:
                reach.add(r)
                todo.append(r)
        sc, tc = s.funcs[name].calls, dict(t.funcs[name].calls)
        for a in reach:
            for f, k in t.funcs[a].calls.items():
                tc[f] = tc.get(f, 0) + k
        # redirected: calls that left the caller and did not reappear in its new functions
        # (a call moved into a thunk's force function is not redirected and stays opaque)
        redirected = {f for f, k in sc.items()
                      if f != name and k > tc.get(f, 0) and f in s.funcs and s.funcs[f].defined
                      and not _interposable(s.funcs[f], s)
                      and not (f in t.funcs and t.funcs[f].defined and _interposable(t.funcs[f], t))}
        inline[name] = tuple(sorted(redirected | (new - {name})))
    problems += _call_site_problems(t, inline, new)
    return ModuleDiff(tuple(changed), tuple(added), tuple(removed), inline, tuple(problems), lines)


def _call_site_problems(t: _ModInfo, inline: dict, new: set) -> list[ModuleProblem]:
    """Call-site promises on calls that will be inlined on the target side: the inliner drops
    them, so only those the callee itself makes (made explicit, `noundef`) or ABI ones pass."""
    def sig(f: _Fn):
        head = f.text.split("\n", 1)[0]
        pre, _ = _split_define(head, f.name)
        ps = _params(head, f.name)
        return pre.split()[-1] if pre.split() else "", [ty for ty, *_ in ps], \
            [set(a) for _, a, _ in ps], "noundef" in pre.split()
    sigs = {n: sig(t.funcs[n]) for n in new}
    out = []
    for owner in sorted(set(inline) | new):
        f = t.funcs[owner]
        inl = set(inline.get(owner, ())) | new
        for callee, pattrs, rattrs, fattrs in _call_sites(f.text):
            if callee is not None:
                if callee not in inl or callee not in t.funcs or not t.funcs[callee].defined:
                    continue
                rty, ptys, pas, rnu = sig(t.funcs[callee])
            else:
                # an indirect call the harness may turn into a call of a new function
                if not any(len(ps) == len(pattrs) for _, ps, _, _ in sigs.values()):
                    continue
                pas, rnu = [set() for _ in pattrs], False
            why = []
            for i, attrs in enumerate(pattrs):
                ok = _ABI_PARAM_ATTRS | ({"noundef"} if i < len(pas) and "noundef" in pas[i] else set())
                why += [a for a in attrs if a not in ok]
            why += [a for a in rattrs if a not in _ABI_PARAM_ATTRS | ({"noundef"} if rnu else set())]
            why += fattrs
            if why:
                what = _ir_name(callee) if callee else "an indirect callee"
                msg = (f"call-site attribute(s) {' '.join(why)} on a call to {what} in {_ir_name(owner)}: "
                       "the inliner would drop them")
                out.append(ModuleProblem(MODULE if owner in new else owner, "", f.define_line, msg))
    return out


# -- promises that inlining would drop ---------------------------------------------------------
# LLVM's inliner drops a callee's parameter and return attributes.  A `noundef`
# parameter or return value is a promise (poison there is UB); once the callee
# is inlined that UB is gone and the check would see a more defined target than
# the module really is.  So, before inlining, `noundef` on the parameters and the
# return value of every function we inline is made explicit with a branch on the
# value (branching on poison is UB, exactly what `noundef` says), in a diamond
# that instcombine does not fold.  Other parameter/return promises of new
# functions and call-site promises on calls to inlined functions are refused.

_ABI_PARAM_ATTRS = {"zeroext", "signext", "inreg"}
_CALL_PREFIX = {"tail", "musttail", "notail", "call", "invoke", "fast", "nnan", "ninf", "nsz", "arcp",
                "contract", "afn", "reassoc"}


def _params(define_line: str, name: str) -> list[tuple[str, list[str], str]]:
    """(type, attribute words, %name) of each parameter of a `define` line."""
    i = define_line.find(_ir_name(name) + "(")
    pre, post = _split_define(define_line, name)
    inner = define_line[i + len(_ir_name(name)) + 1: len(define_line) - len(post) - 1]
    out, unnamed = [], 0
    for p in split_top(inner) if inner.strip() else []:
        if p == "...":
            continue
        ty, rest = split_type(p)
        toks = [ty] + tokenize_attrs(rest)
        if toks and toks[-1].startswith("%"):
            pname, toks = toks[-1], toks[:-1]
        else:
            pname, unnamed = f"%{unnamed}", unnamed + 1
        out.append((toks[0] if toks else "", toks[1:], pname))
    return out


def _poison_branch(ty: str, val: str, tag: str) -> list[str] | None:
    """Lines ending in a `br` that is UB exactly when `val` is poison (or undef); the
    two arms meet at label `tag.m`.  None for types we do not handle."""
    pre = []
    if re.fullmatch(r"i\d+", ty):
        cond = f"icmp slt {ty} {val}, 0"
    elif ty == "ptr":
        cond = f"icmp eq ptr {val}, null"
    elif ty in ("half", "bfloat", "float", "double"):
        w = {"half": 16, "bfloat": 16, "float": 32, "double": 64}[ty]
        pre = [f"  %{tag}.i = bitcast {ty} {val} to i{w}"]
        cond = f"icmp slt i{w} %{tag}.i, 0"
    else:
        return None
    return pre + [f"  %{tag}.c = {cond}", f"  br i1 %{tag}.c, label %{tag}.a, label %{tag}.b",
                  f"{tag}.a:", f"  br label %{tag}.m", f"{tag}.b:", f"  br label %{tag}.m", f"{tag}.m:"]


def explicit_noundef(text: str, names) -> tuple[str, list[tuple[str, str]]]:
    """`text` with the `noundef` parameters and return value of each function in `names`
    made explicit (see above).  Returns (text, [(function, problem)]): a function whose
    promise cannot be made explicit (a type we do not handle) is left unchanged; on the
    source side that is harmless (dropping UB only makes the check harder), on the
    target side it is a problem for every caller that inlines it."""
    problems = []
    for name in sorted(names):
        m = re.search(r"^define [^\n]*?" + re.escape(_ir_name(name)) + r"\(.*?^}", text, re.S | re.M)
        if not m:
            continue
        body = m.group(0)
        head = body.split("\n", 1)[0]
        params = _params(head, name)
        pre, _ = _split_define(head, name)
        ret_noundef = "noundef" in pre.split()
        checks = [(ty, pn) for ty, attrs, pn in params if "noundef" in attrs]
        if not checks and not ret_noundef:
            continue
        try:
            fn = next(iter(parse_text(body).functions.values()), None)
        except (ValueError, AttributeError, IndexError, KeyError):
            fn = None       # a name the text view does not read (`@"a b"`): refuse, never guess
        if fn is None or not fn.blocks:
            problems.append((name, f"cannot edit {_ir_name(name)} to make its noundef promises explicit"))
            continue
        edit, bad = SlotEdit(fn, keep_debug=True), []
        # parameters: a diamond after the entry block's allocas
        entry = fn.blocks[0]
        k = next((j for j, i in enumerate(entry.insts) if i.opcode != "alloca"), len(entry.insts) - 1)
        diamonds, last = [], None
        for j, (ty, pn) in enumerate(checks):
            br = _poison_branch(ty, pn, f"lazycc.tv.nu{j}")
            if br is None:
                bad.append(f"noundef parameter {pn} of {_ir_name(name)} has type {ty}")
                continue
            diamonds += [line.strip() for line in br]
            last = f"%lazycc.tv.nu{j}.m"
        edit.insert_before(entry.label, k, diamonds)
        nr = 0
        for b in fn.blocks:
            for j, ins in enumerate(b.insts):
                t = ins.text
                if last and ins.opcode == "phi":
                    t = re.sub(r"(\[[^\[\]]*?,\s*)" + re.escape(entry.label) + r"(\s*\])", r"\g<1>" + last + r"\2", t)
                    edit[b.label, j] = edit[b.label, j][:-1] + [t]
                # return value: a diamond before every `ret`
                rm = re.match(r"^ret (\S+) (.+?)(,\s*!.*)?$", t) if ret_noundef and ins.opcode == "ret" else None
                if rm and rm.group(1) != "void":
                    br = _poison_branch(rm.group(1), rm.group(2), f"lazycc.tv.nr{nr}")
                    if br is None:
                        bad.append(f"noundef return value of {_ir_name(name)} has type {rm.group(1)}")
                    else:
                        edit.insert_before(b.label, j, [line.strip() for line in br])
                        nr += 1
        if bad:
            problems += [(name, b) for b in bad]
            continue
        text = text.replace(body, edit.text(), 1)
    return text, problems


def _call_sites(fn_text: str):
    """(callee or None for an indirect call, param attribute lists, return attributes, fn attributes)
    of every call in a canonical function text (attribute groups expanded as #{...})."""
    for line in fn_text.splitlines():
        m = re.search(r"\b(?:call|invoke)\b(.*)$", line)
        if not m or "asm " in m.group(1):
            continue
        rest = m.group(1)
        c = re.search(r"([@%])(" + _NAME + r")\(", rest)
        if not c:
            continue
        callee = c.group(2).strip('"') if c.group(1) == "@" else None
        if callee is not None and callee.startswith("llvm."):
            continue
        before = re.sub(r"\((?:[^()]|\([^()]*\))*\)\s*$", " ", rest[:c.start()])   # a varargs call's type
        j, depth = c.end() - 1, 0
        while j < len(rest):
            depth += {"(": 1, ")": -1}.get(rest[j], 0)
            if depth == 0:
                break
            j += 1
        args, after = rest[c.end():j], rest[j + 1:]
        pattrs = []
        for a in split_top(args) if args.strip() else []:
            pattrs.append(tokenize_attrs(split_type(a)[1])[:-1])
        words = [w for w in re.findall(r'\w+\([^)]*\)|\{[^}]*\}|<[^>]*>|\S+', before) if w not in _CALL_PREFIX
                 and not re.fullmatch(r"\w*cc|cc|\d+", w)]
        rattrs = words[:-1]
        fattrs = []
        for grp in re.findall(r"#\{([^}]*)\}", after):
            fattrs += re.findall(r'"(?:[^"\\]|\\.)*"(?:="(?:[^"\\]|\\.)*")?|\w+(?:\([^)]*\))?', grp)
        after = re.sub(r"#\{[^}]*\}|,\s*!.*$", " ", after)
        fattrs += re.findall(r'"(?:[^"\\]|\\.)*"(?:="(?:[^"\\]|\\.)*")?|\w+(?:\([^)]*\))?', after)
        yield callee, pattrs, rattrs, [a for a in fattrs if not a.startswith('"')]


def derive_changes(src_text: str, tgt_text: str) -> ModuleDiff:
    """The Changes-like record of a (src, tgt) pair; raises ModuleReadError if one is malformed."""
    return _diff(_read(src_text, "source"), _read(tgt_text, "target"))


@dataclass
class ModuleRow:
    """One verdict of `check_modules`: a changed function (with its PairResult when it was
    checked) or a module-level problem (function == MODULE)."""

    function: str
    verdict: object
    reason: str
    src_line: str = ""
    tgt_line: str = ""
    pair: object = None      # refine.PairResult
    time_s: float = 0.0


def check_modules(src_text: str, tgt_text: str, bounds=None) -> list[ModuleRow]:
    """Check a whole-module lazification from elsewhere (see above).

    Raises ModuleReadError when a module does not parse or verify.  Changed
    functions are checked in order; rows for module-level problems follow.
    """
    from dataclasses import replace
    bounds = bounds or Bounds()
    d = derive_changes(src_text, tgt_text)
    rows: list[ModuleRow] = []
    blocked = {p.subject: p for p in d.problems if p.subject != MODULE}
    forces = set(d.added)
    redirected = set().union(*d.inline.values()) - forces if d.inline else set()
    # noundef promises of inlined functions survive inlining (see explicit_noundef)
    tgt_text, why = explicit_noundef(tgt_text, forces | redirected)
    src_text, _ = explicit_noundef(src_text, redirected)
    for fn, w in why:
        for name in d.changed:
            if fn in d.inline[name] and name not in blocked:
                blocked[name] = ModuleProblem(name, *d.define_lines[name],
                                              f"{w}: cannot keep this noundef promise when inlining")
    for name in d.changed:
        sl, tl = d.define_lines[name]
        if name in blocked:
            p = blocked[name]
            rows.append(ModuleRow(name, Verdict.ERROR if p.error else Verdict.UNSUPPORTED, p.message, sl, tl))
            continue
        t1 = time.perf_counter()
        with function_budget(bounds):
            pr, problem = check_caller(src_text, tgt_text, name, set(d.inline[name]), bounds.unroll,
                                       bounds.timeout_ms, forces)
        if pr is None:
            v, why = problem
            rows.append(ModuleRow(name, v, why, sl, tl, None, time.perf_counter() - t1))
            continue
        pr = replace(pr, src_header=sl or pr.src_header, tgt_header=tl or pr.tgt_header)
        rows.append(ModuleRow(name, pr.verdict, pr.reason, sl, tl, pr, pr.time_s))
    for p in d.problems:
        if p.subject == MODULE or p.subject not in d.changed:
            why = p.message if p.error else "Unsupported module difference: " + p.message
            rows.append(ModuleRow(p.subject, Verdict.ERROR if p.error else Verdict.UNSUPPORTED, why,
                                  p.src_line, p.tgt_line))
    return rows


def validate_modules(src_text: str, tgt_text: str, bounds=None):
    """ValidationReport for a (src, tgt) pair of whole modules without a Changes record.

    The analogue of `validate_rewrite` for lazifications produced elsewhere:
    the changed functions, the new (tgt-only) functions to inline and the
    redirected src callees are derived from the modules (`derive_changes`).
    A malformed module gives ERROR verdicts with LLVM's message, like
    `validate_rewrite`; module-level differences give UNSUPPORTED verdicts
    (function "<module>").  No changed function: no verdicts (INCONCLUSIVE).
    """
    bounds = bounds or Bounds()
    t0 = time.perf_counter()
    try:
        with module_budget(bounds):
            rows = check_modules(src_text, tgt_text, bounds)
    except ModuleReadError as e:
        msg = malformed_diagnostic("original" if e.side == "source" else "rewritten", str(e),
                                   src_text if e.side == "source" else tgt_text)
        return ValidationReport((FunctionVerdict(MODULE, Verdict.ERROR, "malformed IR", msg),), bounds,
                                time.perf_counter() - t0)
    out = []
    for r in rows:
        if r.pair is not None:
            diag = diagnostic_for(r.pair) if r.verdict is not Verdict.VERIFIED else ""
            out.append(FunctionVerdict(r.function, r.verdict, r.reason, diag, r.time_s, hit_bound=r.pair.hit_bound))
        else:
            out.append(FunctionVerdict(r.function, r.verdict, r.reason, f"{r.function}: {r.reason}", r.time_s))
    return ValidationReport(tuple(out), bounds, time.perf_counter() - t0)
