"""Whole-program mode (`LAZYCC_LTO`, on by default): lazify a full-LTO link's merged module.

Most calls of a multi-file program cross files, and a per-file compile cannot defer an
argument of a callee whose body it does not see. Under `-flto` the objects are bitcode
and the linker merges them anyway, so at the link lazycc merges the bitcode inputs itself
(`ir.link_bitcode`, llvm-link next to the driven clang), runs the same pipeline on the merged
module (`compile.decide_rewrite`: cache, deadline child, validator; only a VERIFIED rewrite
comes back) and runs the user's link with those inputs replaced by the one rewritten bitcode
file (at the first one's place). Archives, shared libraries and native objects are passed
as they were; bitcode inside archives stays for the linker's own LTO to merge.

The merged module is what clang's pre-link pipeline (`-flto -c` at -Ox) wrote, already
simplified and inlined within each file, so it is analysed as it is (stage `raw`, unless
`LAZYCC_LAZIFY_STAGE` names another); the LTO backend then runs its own -O pipeline on it.

Any failure (merge, pipeline crash or deadline, assembling the module, the rewritten link
itself failing) runs the user's original link unchanged, counted (`lto_fallbacks` and
`fallbacks`) and logged; the exit code is that link's.
"""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Callable

from lazycc import ir
from lazycc.driver.classify import LtoLink
from lazycc.driver.compile import Context, Fallback, rewrite_module
from lazycc.fsutil import make_temp_dir, remove_tree
from lazycc.stats import Reason, Stat

# Stage of a merged module under LAZYCC_LAZIFY_STAGE=auto: clang's pre-link pipeline ran already.
LINK_STAGE = "raw"


def link_stage(configured: str) -> str:
    """Where the merged module is lazified: the configured stage, `raw` for auto."""
    return LINK_STAGE if configured in ("", "auto") else configured


def bitcode_inputs(plan: LtoLink) -> tuple[int, ...]:
    """The argv indices of the link inputs that are bitcode files (read from the files)."""
    return tuple(i for i in plan.inputs if ir.is_bitcode(plan.argv[i]))


def relinked_argv(plan: LtoLink, bitcode: tuple[int, ...], merged: str) -> list[str]:
    """The user's link with the bitcode inputs replaced by `merged`, at the first one's place
    (so everything after it on the command line still sees all their undefined symbols)."""
    out: list[str] = []
    for i, arg in enumerate(plan.argv):
        if i == bitcode[0]:
            out.append(merged)
        elif i not in bitcode:
            out.append(arg)
    return out


# runs clang with these arguments (stderr captured when asked): (exit code, stderr); the
# CLI's, which owns running clang for links
RunClang = Callable[[list[str], bool], tuple[int, bytes]]


def link(ctx: Context, plan: LtoLink, run: RunClang, original: list[str] | None = None) -> int:
    """Run the link of `plan` (an `-flto` link), lazified when its bitcode inputs allow;
    returns the linker's exit code. `original`: the user's arguments as given (response
    files unexpanded), what runs whenever the link is not rewritten."""
    user = list(plan.argv if original is None else original)
    uses_rsp = any(a.startswith("@") and a not in plan.argv for a in user)
    try:
        bitcode = bitcode_inputs(plan)
    except Exception as exc:  # noqa: BLE001 - never break a build
        bitcode = ()
        ctx.log(f"lto link {plan.output}: inputs unreadable ({exc!r})")
    if not bitcode:
        ctx.stats.bump_passthrough(Reason.LINK)
        ctx.log(f"pass-through (link: -flto without bitcode inputs): {' '.join(plan.argv)}")
        return run(user, False)[0]
    ctx.stats.bump(Stat.LTO_LINKS)
    ctx.log(f"lto link {plan.output}: merging {len(bitcode)} bitcode inputs")
    tmpdir = make_temp_dir("lazycc-lto-")
    try:
        result = _lazify(ctx, plan, bitcode, tmpdir)
        if isinstance(result, Fallback):
            return _fall_back(ctx, plan, result, run, user)
        if result is None:
            ctx.log(f"lto link {plan.output}: unchanged; the user's link")
            return run(user, False)[0]
        merged, sites = result
        cmd = relinked_argv(plan, bitcode, merged)
        ctx.log(f"lto link {plan.output}: {' '.join([ctx.clang, *cmd])}"
                + (" (in a response file)" if uses_rsp else ""))
        if uses_rsp:  # the user's command line needed a response file: so may ours
            cmd = [f"@{_response_file(tmpdir, cmd)}"]
        rc, stderr = run(cmd, True)
        if rc != 0:
            return _fall_back(ctx, plan, Fallback(Stat.FALLBACKS, f"the rewritten link failed ({rc}): "
                                                  f"{stderr.decode(errors='replace').strip()[:500]}"), run, user)
        if stderr:
            sys.stderr.buffer.write(stderr)
            sys.stderr.flush()
        ctx.stats.bump(Stat.LTO_MODULES_REWRITTEN)
        ctx.stats.bump(Stat.LTO_REWRITES_ACCEPTED, sites)
        ctx.log(f"lto link {plan.output}: linked the rewritten module ({sites} deferred arguments)")
        return 0
    finally:
        remove_tree(tmpdir)


def _response_file(tmpdir: str, args: list[str]) -> str:
    """A response file holding `args` (POSIX quoting, which clang's GNU tokenizer reads)."""
    import shlex

    path = os.path.join(tmpdir, "link.rsp")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write("\n".join(shlex.quote(a) for a in args) + "\n")
    return path


def _fall_back(ctx: Context, plan: LtoLink, why: Fallback, run: RunClang, user: list[str]) -> int:
    ctx.stats.bump(Stat.LTO_FALLBACKS)
    why.count(ctx.stats)
    ctx.log(f"lto link {plan.output}: {why.reason}; the user's link unchanged")
    return run(user, False)[0]


def _lazify(ctx: Context, plan: LtoLink, bitcode: tuple[int, ...], tmpdir: str):
    """(path of the rewritten bitcode, deferred arguments), None (nothing proven: the
    user's link as it is), or a Fallback (never raises)."""
    try:
        text = ir.link_bitcode([plan.argv[i] for i in bitcode], timeout=ctx.cfg.timeout)
        module = ir.IRModule(text, name=f"{plan.output} (lto)", opt_level=plan.opt_level)
        decision = rewrite_module(ctx, module)
        if isinstance(decision, Fallback):
            return decision
        if decision.text is None:
            return None
        merged = os.path.join(tmpdir, os.path.basename(plan.output) + ".lazycc-lto.bc")
        ir.write_bitcode(decision.text, merged, timeout=ctx.cfg.timeout)
        return merged, decision.sites
    except Exception as exc:  # noqa: BLE001 - never break a build
        return Fallback(Stat.FALLBACKS, f"{type(exc).__name__}: {str(exc)[:500]}")


def link_config(cfg):
    """The settings a link runs the pipeline under: the merged module's stage (`link_stage`),
    so the cache key says where it was lazified."""
    return replace(cfg, lazify_stage=link_stage(cfg.lazify_stage))


def refusal(cfg) -> str:
    """Why a `-flto` link is passed through untouched by these settings, or "" (it is taken)."""
    if cfg.lto != "on":
        return "LAZYCC_LTO=off"
    if cfg.policy == "none":
        return "LAZYCC_POLICY=none"
    if cfg.profile_generate:
        return "a LAZYCC_PROFILE_GENERATE build"
    return ""
