"""Proposer stage: decides which candidate sites to defer.

Policies (`all`, `heuristic`, `profile`, later a learned model) share one
interface: `propose(candidates, policy, feedback) -> Proposal`.
"""
from __future__ import annotations

from dataclasses import dataclass

from lazycc.candidates import CandidateSet


@dataclass(frozen=True)
class Feedback:
    """What the validator said about a previous proposal, for another try."""

    rejected_sites: tuple[str, ...] = ()
    diagnostics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    site_id: str
    defer: bool
    reason: str = ""


@dataclass(frozen=True)
class Proposal:
    """The sites to defer, with the proposer's identity for provenance."""

    proposer: str
    decisions: tuple[Decision, ...] = ()

    @property
    def deferred(self) -> tuple[str, ...]:
        return tuple(d.site_id for d in self.decisions if d.defer)


def propose(candidates: CandidateSet, policy: str = "heuristic",
            feedback: Feedback | None = None) -> Proposal:
    """Default (no-op) proposer until the engine lands: defer nothing."""
    return Proposal(proposer=f"{policy}:noop")
