"""Proposer stage: decides which candidate sites to defer.

Policies (`all`, `heuristic`, `profile`, later a learned model) share one
interface: `propose(candidates, policy, feedback) -> Proposal`.

- `all`: every safe candidate (sites the validator rejected excluded).
- `heuristic`: static cost model, see `heuristic_decision`.
- `profile`: measured use ratios from an instrumented run
  (`lazycc.rewriter.instrument`); the profile file is the `profile_path`
  argument (the driver passes the `profile_use` setting). Sites absent from the profile
  (never executed, or not instrumented) are declined: absence is not "unused".
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the driver builds cache keys without the analysis
    from lazycc.candidates import CandidateSet, CandidateSite

# Bump when a policy's decisions change for the same input (cache identity).
from lazycc.versions import PROPOSER_VERSION  # noqa: F401 (bump it there)

# Cost units are roughly "simple IR instructions executed".
THUNK_INIT_COST = 3.0        # force pointer + done flag stores
ENV_STORE_COST = 1.0         # per captured value (store + reload in the force)
FORCE_COST = 8.0             # indirect call + done check + memo store
CODE_GROWTH_COST = 0.02      # per callee instruction duplicated into a new clone
MIN_GAIN_RATIO = 2.0         # expected saving must beat the expected overhead by this much
PROFILE_THRESHOLD = 0.10     # lazify when the measured use ratio is below this
# The heuristic's per-file work budget, in IR body lines (`body_lines`): the analysis and each
# validation cost time in proportion to the whole module (sqlite3.c's amalgamation: ~300k lines,
# ~45 s of pipeline on an idle machine, past LAZYCC_TIMEOUT under load), so a larger module is
# declined as a whole before any of it runs. A count, never a clock: the same module gets the
# same decision on any machine, and the decision is cached.
MAX_MODULE_LINES = 100_000


def body_lines(ir_text: str) -> int:
    """The module's size for the work budget: indented lines (instructions, switch cases),
    debug records excluded; counted without parsing."""
    return ir_text.count("\n  ") - ir_text.count("\n    #dbg_")


def over_budget(ir_text: str, policy: str) -> str:
    """Why `policy` declines the whole module before analysing it, or ""."""
    if policy != "heuristic":
        return ""
    n = body_lines(ir_text)
    if n > MAX_MODULE_LINES:
        return f"module declined: {n} IR body lines > the heuristic's per-file budget of {MAX_MODULE_LINES}"
    return ""


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


def heuristic_decision(site: CandidateSite, p_used: float | None = None) -> tuple[bool, str]:
    """Static model: saving = cost × P(unused); overhead = thunk init + env stores +
    P(used) × force cost + code growth. Declines when the callee will be inlined anyway
    or the argument is used on every path."""
    return _heuristic(site.features, p_used)


def _heuristic_worth(features) -> bool:
    return _heuristic(features)[0]


def worth_analysing(policy: str):
    """The policy's decision on a site's features alone, for `find_candidates(worth=...)`, or
    None when a site's features do not settle it (`all`, `profile`: every site is analysed).
    A module-level function: the analysis is memoised on it."""
    return _heuristic_worth if policy == "heuristic" else None


def _heuristic(f, p_used: float | None = None) -> tuple[bool, str]:
    p = f.get("p_used", 1.0) if p_used is None else p_used
    if f.get("used_every_path", 0.0) >= 1.0:
        return False, "used on every path"
    # Measured (docs/lazification-engine.md): lazifying *before* the inliner still pays when
    # the callee is inlined, because the inlined clone plus the devirtualised force become a
    # sink of the computation into the using branch, which LLVM does not do on its own. So an
    # inlinable callee lowers the expected overhead instead of vetoing the rewrite.
    inl = f.get("callee_inlined_anyway", 0.0) >= 1.0
    if inl and f.get("n_uses_in_callee", 1.0) == 0.0:
        # A parameter the callee never reads, of a callee that will be inlined: the pure
        # computation is dead code after inlining, which the optimiser deletes by itself. A
        # rewrite there only costs compile time and perturbs the inliner (SPASS: six such
        # sites, assertion helpers empty under NDEBUG, changed the binary and nothing else).
        return False, "the callee never uses it and will be inlined: the optimiser deletes the computation"
    cost = f.get("cost", 0.0)
    saving = cost * (1.0 - p)
    overhead = (THUNK_INIT_COST + ENV_STORE_COST * f.get("n_env", 0.0) + FORCE_COST * p
                + CODE_GROWTH_COST * f.get("callee_size", 0.0))
    if inl:
        overhead *= 0.5
    if saving < MIN_GAIN_RATIO * overhead:
        return False, f"saving {saving:.1f} < {MIN_GAIN_RATIO}x overhead {overhead:.1f}"
    return True, f"saving {saving:.1f} vs overhead {overhead:.1f}"


def propose(candidates: CandidateSet, policy: str = "heuristic",
            feedback: Feedback | None = None, profile_path: str | None = None,
            threshold: float = PROFILE_THRESHOLD) -> Proposal:
    rejected = set(feedback.rejected_sites) if feedback else set()
    decisions = []
    prof = None
    if policy == "profile":
        from lazycc.proposer.profile import read_profile
        path = profile_path or ""
        prof = read_profile(path) if path and os.path.exists(path) else {}
    for s in candidates.sites:
        if not s.safe:
            decisions.append(Decision(s.id, False, "unsafe: " + s.reason))
            continue
        if s.id in rejected:
            decisions.append(Decision(s.id, False, "rejected by validator"))
            continue
        if policy == "all":
            decisions.append(Decision(s.id, True, "all"))
        elif policy == "heuristic":
            ok, why = heuristic_decision(s)
            decisions.append(Decision(s.id, ok, why))
        elif policy == "profile":
            rec = prof.get(s.id)
            if rec is None or rec[0] == 0:
                decisions.append(Decision(s.id, False, "no profile data for site"))
                continue
            ratio = rec[1] / rec[0]
            ok = ratio < threshold
            decisions.append(Decision(s.id, ok, f"use ratio {ratio:.4f} ({rec[1]}/{rec[0]}) "
                                                f"{'<' if ok else '>='} {threshold}"))
        elif policy in ("none", "noop"):
            decisions.append(Decision(s.id, False, "policy none"))
        else:
            raise ValueError(f"unknown lazification policy {policy!r} (all, heuristic, profile, none)")
    return Proposal(proposer=proposer_id(policy), decisions=tuple(decisions))


def proposer_id(policy: str) -> str:
    return f"{policy}:v{PROPOSER_VERSION}"


def cache_key(policy: str = "heuristic", profile_path: str | None = None, stage: str = "raw",
              threshold: float = PROFILE_THRESHOLD) -> str:
    """Identity of the engine's decisions for the rewrite cache: analysis and proposer
    versions, the policy and its parameters (the heuristic's constants; later the model and
    adapter hashes), and for `profile` the profile's content digest (a new profile must
    invalidate cached rewrites). Import-light: a warm compile builds it on every run."""
    import hashlib

    from lazycc.versions import ANALYSIS_VERSION
    parts = [f"analysis={ANALYSIS_VERSION}", f"proposer={PROPOSER_VERSION}", f"policy={policy}"]
    if policy == "heuristic":
        parts.append(f"model={THUNK_INIT_COST},{ENV_STORE_COST},{FORCE_COST},{CODE_GROWTH_COST},{MIN_GAIN_RATIO}")
        parts.append(f"budget={MAX_MODULE_LINES}")
    if policy == "profile":
        path = profile_path or ""
        digest = "none"
        if path and os.path.exists(path):
            with open(path, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()[:16]
        parts.append(f"threshold={threshold}")
        parts.append(f"profile={digest}")
    parts.append(f"stage={stage}")
    return ";".join(parts)
