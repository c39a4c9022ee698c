"""Validator stage: proves a rewrite refines the original, or rejects it.

Only `Verdict.VERIFIED` lets a rewrite through. Owned by issue 4
(`lazycc-tv`); `smt.py` is the only module that imports z3.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from lazycc.rewriter import RewriteResult

# Part of every rewrite-cache key; bump it in lazycc/versions.py when the
# semantics or the refinement query change, so old verdicts stop being trusted.
from lazycc.versions import VALIDATOR_VERSION  # noqa: E402,F401


class Verdict(enum.Enum):
    VERIFIED = "correct"
    INCORRECT = "incorrect"
    UNSUPPORTED = "unsupported"
    TIMEOUT = "timeout"
    INCONCLUSIVE = "inconclusive"
    ERROR = "error"

    @property
    def accepted(self) -> bool:
        return self is Verdict.VERIFIED


@dataclass(frozen=True)
class Bounds:
    """The bounds a VERIFIED verdict holds within (stored with cache entries)."""

    unroll: int = 4
    timeout_ms: int = 10_000   # per SMT query
    budget_ms: int = 10_000    # wall time for everything about one changed function

    def key(self) -> str:
        from lazycc.versions import bounds_key

        return bounds_key(self.unroll, self.timeout_ms, self.budget_ms)


@dataclass(frozen=True)
class FunctionVerdict:
    """Verdict for one changed caller; `diagnostic` is model-readable feedback."""

    function: str
    verdict: Verdict
    reason: str = ""
    diagnostic: str = ""
    time_s: float = 0.0
    # True when some execution took more loop back edges than Bounds.unroll:
    # the verdict then holds only for executions within the bound.
    hit_bound: bool = False


@dataclass(frozen=True)
class ValidationReport:
    functions: tuple[FunctionVerdict, ...]
    bounds: Bounds
    time_s: float = 0.0

    @property
    def verdict(self) -> Verdict:
        """VERIFIED only if every changed function is VERIFIED."""
        for f in self.functions:
            if not f.verdict.accepted:
                return f.verdict
        return Verdict.VERIFIED if self.functions else Verdict.INCONCLUSIVE


def validate_rewrite(result: RewriteResult, bounds: Bounds = Bounds(),
                     deadline_s: float | None = None) -> ValidationReport:
    """Check every changed caller of `result` (see harness.py for how).

    Both modules are parsed and verified first (ERROR with LLVM's message
    otherwise).  Each caller in `result.changes.callers` is compared after
    inlining the original callees, lazy clones and force functions on both
    sides; only a VERIFIED caller lets the rewrite through.
    """
    from lazycc.validator.harness import validate
    if deadline_s is None:
        return validate(result, bounds)
    from lazycc.validator import smt
    # Past the caller's deadline every remaining check is a Timeout verdict (a
    # rejection), not an internal failure: the build keeps its other rewrites.
    with smt.budget(max(deadline_s, 0.001)):
        return validate(result, bounds)
