"""The rewrite pipeline for one module: candidates → proposer → rewriter → validator.

Glue only: each stage's algorithm lives in its own package. The loop feeds
validator rejections back to the proposer (dropping or re-proposing sites)
until a proposal verifies, nothing is left to defer, or the iteration budget
runs out. Only a VERIFIED rewrite is ever returned.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

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
    # CPU seconds of the same stages (this process: the pipeline's child in the driver)
    cpu_candidates_s: float = 0.0
    cpu_propose_s: float = 0.0
    cpu_rewrite_s: float = 0.0
    cpu_validate_s: float = 0.0
    # (caller, candidate sites, safe sites, deferred sites in `module`) per caller with a candidate
    functions: tuple[tuple[str, int, int, int], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    # False when a wall-clock limit decided a verdict: the outcome may differ on another
    # run, so it must not be cached (the driver's budgets are counts: always True there).
    reproducible: bool = True
    # the rewriter's record of what it touched (with `module`): stored so another
    # machine can prove the cached rewrite again (`recheck`)
    changes: rewriter_stage.Changes | None = None
    # why the run ended before the rewriter, or "": BAILOUT_* (the driver counts them)
    bailout: str = ""


# Early exits of `run_pipeline`, cheapest first: nothing after them runs.
BAILOUT_BUDGET = "budget"                      # the policy declined the whole module (its size)
BAILOUT_NO_SAFE = "no-safe-site"               # analysed: no candidate is safe to defer
BAILOUT_NOTHING_DEFERRED = "nothing-deferred"  # the proposer deferred nothing: no rewrite, no validation


def run_pipeline(module: IRModule, options: PipelineOptions = PipelineOptions()) -> PipelineResult:
    t0, c0 = time.perf_counter(), time.process_time()
    declined = proposer_stage.over_budget(module.text, options.policy)
    if declined:  # before the analysis: a module too large to be worth it costs a count
        return PipelineResult(module=None, proposer=proposer_stage.proposer_id(options.policy), notes=(declined,),
                              time_candidates_s=time.perf_counter() - t0, cpu_candidates_s=time.process_time() - c0,
                              bailout=BAILOUT_BUDGET)
    cands = candidates_stage.find_candidates(module, stage=options.stage,
                                             worth=proposer_stage.worth_analysing(options.policy))
    base = dict(candidates=len(cands.sites), safe_candidates=len(cands.safe_sites),
                time_candidates_s=time.perf_counter() - t0, cpu_candidates_s=time.process_time() - c0)
    if options.stop_after == "candidates" or not cands.safe_sites:
        return _with_functions(PipelineResult(module=None, bailout="" if cands.safe_sites else BAILOUT_NO_SAFE,
                                              **base), cands)

    with validator_stage.module_budget(options.bounds):
        return _with_functions(_rounds(cands, options, base), cands)


def _with_functions(result: PipelineResult, cands) -> PipelineResult:
    """Per-caller counts (candidates, safe, deferred) for records and reports."""
    safe = {s.id for s in cands.safe_sites}
    deferred = set(result.accepted_sites) if result.module is not None else set()
    rows: dict[str, list[int]] = {}
    for s in cands.sites:
        row = rows.setdefault(s.caller, [0, 0, 0])
        row[0] += 1
        row[1] += s.id in safe
        row[2] += s.id in deferred
    return replace(result, functions=tuple((caller, *row) for caller, row in rows.items()))


def _rounds(cands, options: PipelineOptions, base: dict) -> PipelineResult:
    """Propose, rewrite, validate; feed rejections back (at most `max_iterations` rounds)."""
    caller_of = {s.id: s.caller for s in cands.sites}
    feedback = proposer_stage.Feedback()
    rejected: list[str] = []
    verdicts: list[tuple[str, str, str, int, int]] = []
    known: dict = {}    # the last round's accepted verdicts: reused when their check is the same
    t_prop = t_rw = t_val = 0.0
    c_prop = c_rw = c_val = 0.0
    proposer_id = ""
    reproducible = True
    iteration = 0
    nothing_proposed = False
    for iteration in range(1, options.max_iterations + 1):
        t, c = time.perf_counter(), time.process_time()
        proposal = proposer_stage.propose(cands, options.policy, feedback, profile_path=options.profile_path)
        t_prop += time.perf_counter() - t
        c_prop += time.process_time() - c
        proposer_id = proposal.proposer
        deferred = [s for s in proposal.deferred if s not in rejected]
        nothing_proposed = iteration == 1 and not deferred
        if not deferred or options.stop_after == "proposer":
            break
        t, c = time.perf_counter(), time.process_time()
        result = rewriter_stage.rewrite(cands, proposal)
        t_rw += time.perf_counter() - t
        c_rw += time.process_time() - c
        if result.changes.empty or options.stop_after == "rewriter":
            break
        t, c = time.perf_counter(), time.process_time()
        report = validator_stage.validate_rewrite(result, options.bounds, known)
        t_val += time.perf_counter() - t
        c_val += time.process_time() - c
        reproducible = reproducible and report.reproducible
        verdicts.extend((f.function, f.verdict.value, f.reason, f.units, f.steps) for f in report.functions
                        if known.get(f.function) is not f)       # a reused verdict is counted once
        known = {f.function: f for f in report.functions if f.verdict.accepted}
        if report.verdict.accepted:
            return PipelineResult(
                module=result.rewritten, proposer=proposer_id, accepted_sites=result.changes.sites,
                rejected_sites=tuple(rejected), iterations=iteration, verdicts=tuple(verdicts),
                time_propose_s=t_prop, time_rewrite_s=t_rw, time_validate_s=t_val,
                cpu_propose_s=c_prop, cpu_rewrite_s=c_rw, cpu_validate_s=c_val,
                reproducible=reproducible, changes=result.changes, **base)
        bad_callers = {f.function for f in report.functions if not f.verdict.accepted}
        newly = [s for s in result.changes.sites if caller_of.get(s) in bad_callers] or list(result.changes.sites)
        rejected.extend(newly)
        feedback = proposer_stage.Feedback(
            rejected_sites=tuple(rejected),
            diagnostics=feedback.diagnostics + tuple(f.diagnostic for f in report.functions
                                                     if not f.verdict.accepted and f.diagnostic))
    return PipelineResult(module=None, proposer=proposer_id, rejected_sites=tuple(rejected),
                          iterations=iteration, verdicts=tuple(verdicts),
                          bailout=BAILOUT_NOTHING_DEFERRED if nothing_proposed else "",
                          time_propose_s=t_prop, time_rewrite_s=t_rw, time_validate_s=t_val,
                          cpu_propose_s=c_prop, cpu_rewrite_s=c_rw, cpu_validate_s=c_val,
                          reproducible=reproducible, **base)


@dataclass(frozen=True)
class Recheck:
    """`recheck`'s answer: `ok` only when the rewrite was proven again here."""

    ok: bool
    reason: str


def recheck(module: IRModule, rewritten_text: str, changes: rewriter_stage.Changes,
            options: PipelineOptions = PipelineOptions()) -> Recheck:
    """Prove a rewrite made elsewhere (a shared cache entry) again, trusting nothing in it.

    The original side is derived here from our own `module` (the analysis's prepared module,
    as the pipeline validated against). The entry's `Changes` says which callers to check;
    it is first checked against the structural difference of the two modules, so it cannot
    hide a changed function, an added function it does not declare or one carrying a promise
    (memory(...), willreturn...) the optimiser could use before inlining, a removed function or a
    module-level change (a global, a constructor, a declaration's attributes, inline asm). Then the validator runs with
    our bounds; only VERIFIED passes.
    """
    original = candidates_stage.prepared_module(module, stage=options.stage)
    try:
        diff = validator_stage.derive_changes(original.text, rewritten_text)
    except Exception as exc:  # noqa: BLE001 - malformed IR from elsewhere
        return Recheck(False, f"unreadable: {exc}")
    if not changes.callers or not changes.sites:
        return Recheck(False, "empty changes record")
    hidden = set(diff.changed) - set(changes.callers)
    if hidden:
        return Recheck(False, f"changed functions missing from the changes record: {sorted(hidden)[:3]}")
    declared = {c.name for c in changes.clones} | set(changes.force_functions)
    if set(diff.added) - declared:
        return Recheck(False, f"undeclared added functions: {sorted(set(diff.added) - declared)[:3]}")
    if diff.removed:
        return Recheck(False, f"removed functions: {sorted(diff.removed)[:3]}")
    if diff.problems:   # a module-level change, or a promise on an added function no check covers
        p = diff.problems[0]
        return Recheck(False, f"difference outside the per-function checks ({p.subject}): {p.message}")
    result = rewriter_stage.RewriteResult(
        original=original, rewritten=IRModule(text=rewritten_text, name=module.name, opt_level=module.opt_level),
        changes=changes)
    with validator_stage.module_budget(options.bounds):
        report = validator_stage.validate_rewrite(result, options.bounds)
    if report.verdict.accepted:
        return Recheck(True, f"{len(report.functions)} callers verified")
    bad = next((f for f in report.functions if not f.verdict.accepted), None)
    return Recheck(False, f"{report.verdict.value}" + (f" @{bad.function}: {bad.reason}" if bad else ""))
