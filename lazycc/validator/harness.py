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
                line = line.rstrip()[:-1].rstrip() + " alwaysinline {"
                line = re.sub(r"\b(noinline|optnone)\b ?", "", line)
        out.append(line)
    text = "\n".join(out) + "\n"
    # attribute groups referenced by inline-set defines may still say noinline: already stripped above
    return text


def inline_for_check(text: str, inline: set[str], caller: str) -> str:
    """Inline `inline` into `caller` until no indirect call remains (or give up)."""
    cur = prepare(text, inline)
    for _ in range(MAX_ROUNDS):
        cur = run_opt(cur, PIPELINE)
        if not has_indirect_call(cur, caller) and not any(
                re.search(r"@" + re.escape(n) + r"\(", _fn_body(cur, caller) or "") for n in inline):
            return cur
    return cur


def check_caller(orig_text: str, new_text: str, caller: str, inline: set[str], unroll: int, timeout_ms: int):
    """(PairResult or None, problem string): the refinement check of one changed caller."""
    from lazycc.validator import Verdict
    try:
        src_txt = inline_for_check(orig_text, inline, caller)
        tgt_txt = inline_for_check(new_text, inline, caller)
    except ToolError as e:
        return None, (Verdict.ERROR, f"opt failed while inlining: {e.stderr.strip()[:500]}")
    for side, t in (("source", src_txt), ("target", tgt_txt)):
        if has_indirect_call(t, caller):
            return None, (Verdict.UNSUPPORTED, f"indirect call left in {side} @{caller} after inlining the thunk")
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
        pr, problem = check_caller(result.original.text, result.rewritten.text, caller, inline - {caller},
                                   bounds.unroll, bounds.timeout_ms)
        if pr is None:
            v, why = problem
            verdicts.append(FunctionVerdict(caller, v, why, f"{caller}: {why}", time.perf_counter() - t1))
            continue
        v = pr.verdict
        verdicts.append(FunctionVerdict(caller, v, pr.reason, diagnostic_for(pr) if v is not Verdict.VERIFIED else "",
                                        pr.time_s, hit_bound=pr.hit_bound))
    return ValidationReport(tuple(verdicts), bounds, time.perf_counter() - t0)
