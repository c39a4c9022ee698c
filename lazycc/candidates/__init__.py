"""Candidates stage (an analysis): which call arguments could be deferred.

Pure: an `IRModule` goes in, a frozen `CandidateSet` comes out, nothing is
mutated. Owned by the lazification engine (issue 3).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from lazycc.ir import IRModule


@dataclass(frozen=True)
class CandidateSite:
    """One (call site, argument) that could become a thunk.

    `id` is stable across builds: a hash of caller, callee, argument position
    and the deferred computation, never an instruction ordinal.
    `safe` is the verdict of the (sound) safety analysis; `reason` says why
    not when it is False.
    """

    id: str
    caller: str
    callee: str
    arg_index: int
    safe: bool
    reason: str = ""
    features: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class CandidateSet:
    """All candidate sites of `module` (the module the rewriter will edit).

    `module` may differ from the driver's input module (e.g. after the -O
    pipeline's inliner ran); the rewriter and validator work on this one.
    """

    module: IRModule
    sites: tuple[CandidateSite, ...] = ()

    @property
    def safe_sites(self) -> tuple[CandidateSite, ...]:
        return tuple(s for s in self.sites if s.safe)


def find_candidates(module: IRModule) -> CandidateSet:
    """Default (no-op) analysis until the engine lands: no candidates."""
    return CandidateSet(module=module)
