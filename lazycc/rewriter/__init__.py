"""Rewriter stage (a transform): applies a Proposal to the candidates' module.

Returns the new module plus a `Changes` record that the validator and the
cache both use.
"""
from __future__ import annotations

from dataclasses import dataclass

from lazycc.candidates import CandidateSet
from lazycc.ir import IRModule
from lazycc.proposer import Proposal


@dataclass(frozen=True)
class LazyClone:
    """A clone of `original` whose parameters `deferred_params` are thunk pointers."""

    name: str
    original: str
    deferred_params: tuple[int, ...]


@dataclass(frozen=True)
class Changes:
    """Exactly what the rewrite touched.

    `callers`: functions whose body changed (each gets a refinement check);
    `clones`/`force_functions`: functions added (internal linkage);
    `sites`: candidate ids actually rewritten.
    """

    sites: tuple[str, ...] = ()
    callers: tuple[str, ...] = ()
    clones: tuple[LazyClone, ...] = ()
    force_functions: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.sites


@dataclass(frozen=True)
class RewriteResult:
    original: IRModule
    rewritten: IRModule
    changes: Changes


def rewrite(candidates: CandidateSet, proposal: Proposal) -> RewriteResult:
    """Default (no-op) rewriter until the engine lands."""
    return RewriteResult(original=candidates.module, rewritten=candidates.module, changes=Changes())
