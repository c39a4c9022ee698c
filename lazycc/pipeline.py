"""The rewrite pipeline for one module: candidates → proposer → rewriter → validator.

Glue only: each stage's algorithm lives in its own package. The loop feeds
validator rejections back to the proposer (dropping or re-proposing sites)
until a proposal verifies, nothing is left to defer, or the iteration budget
runs out. Only a VERIFIED rewrite is ever returned.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from lazycc import candidates as candidates_stage
from lazycc import proposer as proposer_stage
from lazycc import rewriter as rewriter_stage
from lazycc import validator as validator_stage
from lazycc.ir import IRModule

# Stage names, in pipeline order; `stop_after` takes one of these.
STAGES = ("emit-ir", "candidates", "proposer", "rewriter", "validator", "cache", "lowering")


@dataclass(frozen=True)
class PipelineOptions:
    policy: str = "heuristic"
    bounds: validator_stage.Bounds = validator_stage.Bounds()
    max_iterations: int = 3
    stop_after: str | None = None
    profile_path: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class PipelineResult:
    """Outcome for one module. `module` is set only when a rewrite was VERIFIED."""

    module: IRModule | None
    proposer: str = ""
    candidates: int = 0
    safe_candidates: int = 0
    accepted_sites: tuple[str, ...] = ()
    rejected_sites: tuple[str, ...] = ()
    iterations: int = 0
    # (function, verdict, reason, z3 units, executor steps): the effort is deterministic too
    verdicts: tuple[tuple[str, str, str, int, int], ...] = ()
    time_candidates_s: float = 0.0
    time_propose_s: float = 0.0
    time_rewrite_s: float = 0.0
    time_validate_s: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    # False when a wall-clock limit decided a verdict: the outcome may differ on another
    # run, so it must not be cached (the driver's budgets are counts: always True there).
    reproducible: bool = True


def run_pipeline(module: IRModule, options: PipelineOptions = PipelineOptions()) -> PipelineResult:
    t0 = time.perf_counter()
    cands = candidates_stage.find_candidates(module, stage=options.stage)
    t_cand = time.perf_counter() - t0
    base = dict(candidates=len(cands.sites), safe_candidates=len(cands.safe_sites),
                time_candidates_s=t_cand)
    if options.stop_after == "candidates" or not cands.safe_sites:
        return PipelineResult(module=None, **base)

    with validator_stage.module_budget(options.bounds):
        return _rounds(cands, options, base)


def _rounds(cands, options: PipelineOptions, base: dict) -> PipelineResult:
    """Propose, rewrite, validate; feed rejections back (at most `max_iterations` rounds)."""
    caller_of = {s.id: s.caller for s in cands.sites}
    feedback = proposer_stage.Feedback()
    rejected: list[str] = []
    verdicts: list[tuple[str, str, str, int, int]] = []
    t_prop = t_rw = t_val = 0.0
    proposer_id = ""
    reproducible = True
    iteration = 0
    for iteration in range(1, options.max_iterations + 1):
        t = time.perf_counter()
        proposal = proposer_stage.propose(cands, options.policy, feedback, profile_path=options.profile_path)
        t_prop += time.perf_counter() - t
        proposer_id = proposal.proposer
        deferred = [s for s in proposal.deferred if s not in rejected]
        if not deferred or options.stop_after == "proposer":
            break
        t = time.perf_counter()
        result = rewriter_stage.rewrite(cands, proposal)
        t_rw += time.perf_counter() - t
        if result.changes.empty or options.stop_after == "rewriter":
            break
        t = time.perf_counter()
        report = validator_stage.validate_rewrite(result, options.bounds)
        t_val += time.perf_counter() - t
        reproducible = reproducible and report.reproducible
        verdicts.extend((f.function, f.verdict.value, f.reason, f.units, f.steps) for f in report.functions)
        if report.verdict.accepted:
            return PipelineResult(
                module=result.rewritten, proposer=proposer_id, accepted_sites=result.changes.sites,
                rejected_sites=tuple(rejected), iterations=iteration, verdicts=tuple(verdicts),
                time_propose_s=t_prop, time_rewrite_s=t_rw, time_validate_s=t_val,
                reproducible=reproducible, **base)
        bad_callers = {f.function for f in report.functions if not f.verdict.accepted}
        newly = [s for s in result.changes.sites if caller_of.get(s) in bad_callers] or list(result.changes.sites)
        rejected.extend(newly)
        feedback = proposer_stage.Feedback(
            rejected_sites=tuple(rejected),
            diagnostics=feedback.diagnostics + tuple(f.diagnostic for f in report.functions
                                                     if not f.verdict.accepted and f.diagnostic))
    return PipelineResult(module=None, proposer=proposer_id, rejected_sites=tuple(rejected),
                          iterations=iteration, verdicts=tuple(verdicts),
                          time_propose_s=t_prop, time_rewrite_s=t_rw, time_validate_s=t_val,
                          reproducible=reproducible, **base)
