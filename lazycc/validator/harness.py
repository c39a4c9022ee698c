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

import re
import time

from lazycc.ir import ToolError, parse_and_verify, run_opt
from lazycc.validator.irmodel import IRReadError, read_module
from lazycc.validator.layout import split_top
from lazycc.validator import smt as S
from lazycc.validator.refine import check_pair

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
    """Copy of `text` with `inline` marked alwaysinline and no optnone/noinline anywhere.

    Dropping optnone/noinline changes no behaviour (they are optimisation
    hints) and is applied to both sides alike; without it clang -O0 modules
    would never be inlined or simplified.
    """
    out = []
    for line in text.splitlines():
        if line.startswith("attributes #"):
            line = re.sub(r"\b(noinline|optnone)\b ?", "", line)
        elif line.startswith("define"):
            line = re.sub(r"\b(noinline|optnone)\b ?", "", line.split("@", 1)[0]) + "@" + line.split("@", 1)[1] \
                if "@" in line else line
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
    lines = body.splitlines()
    extra, n = [], 0
    for i, line in enumerate(lines):
        m = _INDIRECT.match(line)
        if not m or '[ "' in line or "..." in m.group(4):
            continue
        indent, lhs, _nt, rpre, fp, args_s, tail = m.groups()
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
        for j, f in enumerate(cands):
            d += [f"  %c{j} = icmp eq ptr %fp, @{f}", f"  br i1 %c{j}, label %d{j}, label %n{j}",
                  f"d{j}:", f"  {res.replace('%r', f'%r{j}')}call {ret_attrs} {rty} @{f}({fwd}){fattrs}",
                  f"  {ret.replace('%r', f'%r{j}')}", f"n{j}:"]
        d += [f"  {res}call {ret_attrs} {rty} %fp({fwd}){fattrs}", f"  {ret}", "}"]
        extra.append("\n".join(d))
        lines[i] = f"{indent}{lhs or ''}call {rty} @{name}(ptr {fp}{', ' + args_s if args_s.strip() else ''}){md}"
    if not n:
        return text, 0
    return text.replace(body, "\n".join(lines)) + "\n" + "\n\n".join(extra) + "\n", n


def _calls_inline_set(text: str, caller: str, inline: set[str]) -> bool:
    body = _fn_body(text, caller) or ""
    return any(re.search(r"@" + re.escape(n) + r"\(", body) for n in inline)


def inline_for_check(text: str, inline: set[str], caller: str, forces: set[str] = frozenset()) -> str:
    """Inline `inline` into `caller`; guard thunk forces that stay indirect (see above)."""
    cur = prepare(text, inline)
    promoted = False
    for _ in range(MAX_ROUNDS + 2):
        prev, cur = cur, run_opt(cur, PIPELINE)
        if not _calls_inline_set(cur, caller, inline) and not has_indirect_call(cur, caller):
            return cur
        if cur != prev and not promoted:
            continue          # LLVM still makes progress (forwarding the header, inlining)
        if promoted:
            return cur
        cur, n = promote_indirect_calls(cur, caller, forces)
        if not n:
            return cur
        promoted = True
    return cur


def check_caller(orig_text: str, new_text: str, caller: str, inline: set[str], unroll: int, timeout_ms: int,
                 forces: set[str] = frozenset()):
    """(PairResult or None, problem string): the refinement check of one changed caller."""
    from lazycc.validator import Verdict
    try:
        src_txt = inline_for_check(orig_text, inline, caller, forces)
        tgt_txt = inline_for_check(new_text, inline, caller, forces)
    except ToolError as e:
        return None, (Verdict.ERROR, f"opt failed while inlining: {e.stderr.strip()[:500]}")
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
    return check_pair(sm, sm.functions[caller], tm, tm.functions[caller], unroll, timeout_ms), None


def validate(result, bounds):
    """Implementation of lazycc.validator.validate_rewrite (see there)."""
    from lazycc.validator import FunctionVerdict, ValidationReport, Verdict
    from lazycc.validator.feedback import diagnostic_for, malformed_diagnostic
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
    for caller in ch.callers:
        t1 = time.perf_counter()
        with S.budget(bounds.budget_ms / 1000):
            pr, problem = check_caller(result.original.text, result.rewritten.text, caller, inline - {caller},
                                       bounds.unroll, bounds.timeout_ms, set(ch.force_functions))
        if pr is None:
            v, why = problem
            verdicts.append(FunctionVerdict(caller, v, why, f"{caller}: {why}", time.perf_counter() - t1))
            continue
        v = pr.verdict
        verdicts.append(FunctionVerdict(caller, v, pr.reason, diagnostic_for(pr) if v is not Verdict.VERIFIED else "",
                                        pr.time_s, hit_bound=pr.hit_bound))
    return ValidationReport(tuple(verdicts), bounds, time.perf_counter() - t0)
