"""Profile generation: an instrumented module for the `profile` policy.

Every safe site is lazified (the instrumented program computes the same
results) and gets two thread-safe (atomic, monotonic) 64-bit counters keyed by
the site's stable id: `calls` bumped when the thunk is initialised, `uses`
bumped the first time it is forced (call-by-need makes "first force" exactly
"the callee used the argument"). A destructor appends "<id> <calls> <uses>"
lines to the file named by $LAZYCC_PROFILE_FILE at exit, else to `default_path`
baked in at build time (nothing when neither is set);
`lazycc.proposer.profile.read_profile` sums them.
"""
from __future__ import annotations

from lazycc.candidates import CandidateSet
from lazycc.ir import IRModule
from lazycc.rewriter import Changes, RewriteResult


def instrument(candidates: CandidateSet, default_path: str | None = None) -> RewriteResult:
    from lazycc.rewriter.emit import rewrite_module

    plans = [candidates.plans[s.id] for s in candidates.safe_sites if s.id in candidates.plans]
    if not plans:
        return RewriteResult(candidates.module, candidates.module, Changes())
    text, changes = rewrite_module(candidates.module.text, plans, opt_level=candidates.module.opt_level,
                                   instrument=True, profile_path=default_path)
    mod = IRModule(text=text, name=candidates.module.name, opt_level=candidates.module.opt_level)
    return RewriteResult(candidates.module, mod, changes)
