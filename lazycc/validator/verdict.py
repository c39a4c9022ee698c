"""Verdicts and the bounds they hold within (Alive2's `Errors`/result kinds).

Import-light on purpose: the driver and the rewrite cache read `Bounds` and
`Verdict` without loading the validator's stages (or z3).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from lazycc.versions import RLIMIT_PER_MS, bounds_key


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
    """The bounds a verdict holds within (stored with cache entries).

    Every limit that decides a verdict is a count, never wall time, so the same
    pair gets the same verdict on an idle and on a loaded machine: z3 resource
    units (`rlimit`, deterministic) per query, per changed function and per
    module, and symbolic-execution steps (instructions run, over all paths) per
    changed function. `timeout_ms` adds a wall-clock limit per query for
    interactive use (lazycc-tv --timeout-ms); the driver keeps it 0.
    """

    unroll: int = 4
    query_rlimit: int = 10_000 * RLIMIT_PER_MS
    function_rlimit: int = 10_000 * RLIMIT_PER_MS
    function_steps: int = 50_000
    module_rlimit: int = 30_000 * RLIMIT_PER_MS
    timeout_ms: int = 0

    def key(self) -> str:
        return bounds_key(self.unroll, self.query_rlimit, self.function_rlimit, self.function_steps,
                          self.module_rlimit, self.timeout_ms)

    @staticmethod
    def from_ms(unroll: int, query_ms: int, function_ms: int, module_ms: int, steps: int) -> "Bounds":
        """The millisecond settings mapped onto resource units (versions.RLIMIT_PER_MS)."""
        return Bounds(unroll=unroll, query_rlimit=query_ms * RLIMIT_PER_MS,
                      function_rlimit=function_ms * RLIMIT_PER_MS, function_steps=steps,
                      module_rlimit=module_ms * RLIMIT_PER_MS)


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
    # True when a wall-clock limit (lazycc-tv --timeout-ms) decided part of the check: the
    # verdict may differ on a less busy machine, so nothing may cache it.
    wall_clock: bool = False
    # Effort spent: z3 resource units and symbolic-execution steps (deterministic, so the
    # same pair costs the same on any machine; compare with Bounds).
    units: int = 0
    steps: int = 0
    # What the check read (harness.caller_key): a later round of the same module whose caller,
    # inlined functions and module skeleton are identical may reuse this verdict.
    key: str = ""


@dataclass(frozen=True)
class ValidationReport:
    functions: tuple[FunctionVerdict, ...]
    bounds: Bounds
    time_s: float = 0.0

    @property
    def reproducible(self) -> bool:
        """Every verdict was decided by counts alone (the same on any machine)."""
        return not any(f.wall_clock for f in self.functions)

    @property
    def verdict(self) -> Verdict:
        """VERIFIED only if every changed function is VERIFIED."""
        for f in self.functions:
            if not f.verdict.accepted:
                return f.verdict
        return Verdict.VERIFIED if self.functions else Verdict.INCONCLUSIVE
