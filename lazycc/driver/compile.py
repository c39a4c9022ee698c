"""The rewrite path for one C source: emit IR → pipeline (cached) → lower (cached).

Failure policy: user errors (clang rejects the C) return clang's own exit code
and diagnostics; any internal failure or timeout after the front end is a
`Fallback` value (carrying its counter and reason): the module compiles as
plain clang would and the failure is counted. A failure before that re-runs
plain clang with the original argv.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, replace
from typing import Callable

from lazycc import ir, lowering
from lazycc.cache import (CorruptEntry, Identity, LocalCache, decode_payload, direct, encode_payload,
                          normalise_ir, object_key, rewrite_key, sha256, with_source_filename)
from lazycc.cache.entry import ChangesRecord, RewriteEntry
from lazycc.cache.files import FileStore
from lazycc.cache.storage import Answer, LocalStorage, TieredStore
from lazycc.config import Config
from lazycc.driver.classify import CompileJob
from lazycc.driver.deadline import Ending, run_in_child
from lazycc.driver.log import Logger
from lazycc.driver.recording import OFF, Recorder
from lazycc.fsutil import atomic_write, make_temp_dir, remove_tree
from lazycc.stats import Stat, Stats, verdict_stat


@dataclass(frozen=True)
class Rewrite:
    """The rewrite path's result for one module: IR text to lower (verified, or an
    instrumented training build), or None to keep clang's own object."""

    text: str | None
    sites: int = 0                       # deferred arguments in `text`
    counter: Stat = Stat.MODULES_REWRITTEN   # bumped once the text is lowered
    # False when a wall-clock limit decided the outcome: not cached, so direct mode must
    # not replay it either
    reproducible: bool = True


KEEP = Rewrite(None)


@dataclass(frozen=True)
class Fallback:
    """The rewrite path failed (raised, died, or hit the deadline): the module compiles as
    plain clang would, nothing is cached. `stat` is counted besides `Stat.FALLBACKS`
    (itself when there is no more specific counter)."""

    stat: Stat
    reason: str

    def count(self, stats: Stats) -> None:
        if self.stat is not Stat.FALLBACKS:
            stats.bump(self.stat)
        stats.bump(Stat.FALLBACKS)


@dataclass
class Context:
    cfg: Config
    clang: str
    stats: Stats
    log: "Logger"
    recorder: Recorder = OFF             # the module being compiled (LAZYCC_RECORD)
    _cache: LocalCache | None = None
    _cache_failed: bool = False
    _direct: FileStore | None = None
    # called after a direct-mode hit or store (the CLI writes the native client's fast entry)
    on_direct: Callable[["DirectPlan"], None] | None = None
    _remote: object = None               # share.RemoteTier once asked (LAZYCC_REMOTE)
    _tiered: TieredStore | None = None

    @property
    def rewrite_store(self) -> TieredStore | None:
        """Rewrite decisions: the local cache, then the remotes (objects and direct-mode
        results use the local stores alone)."""
        if self.cfg.nocache:
            return None
        if self._tiered is None:
            local = self.cache
            self._tiered = TieredStore(LocalStorage(local) if local is not None else None, self.remote,
                                       self._local_trouble)
        return self._tiered

    def _local_trouble(self, answer: Answer) -> None:
        self.stats.bump(Stat.CACHE_CORRUPT if answer.corrupt else Stat.CACHE_ERRORS)
        self.log(f"cache: {answer.detail}")

    @property
    def remote(self):
        """The remote tier (share.RemoteTier), or None when no remote is configured."""
        if self.cfg.nocache or not self.cfg.remote:
            return None
        if self._remote is None:
            from lazycc.cache.share import RemoteTier
            from lazycc.config import remote_specs

            self._remote = RemoteTier(remote_specs(self.cfg.remote), self.stats, self.log,
                                      sign_key=self.cfg.remote_sign_key, trusted_keys=self.cfg.remote_trusted_keys,
                                      require_signature=self.cfg.remote_require_signature)
        return self._remote

    @property
    def direct_store(self) -> FileStore | None:
        """Direct-mode entries: plain files, so a warm hit never opens SQLite."""
        if self.cfg.nocache:
            return None
        if self._direct is None:
            self._direct = FileStore(os.path.join(self.cfg.dir, "direct"), self.cfg.max_size // 2)
        return self._direct

    @property
    def cache(self) -> LocalCache | None:
        """The local cache, or None when disabled or broken (counted, never fatal)."""
        if self.cfg.nocache or self._cache_failed:
            return None
        if self._cache is None:
            try:
                self._cache = LocalCache(self.cfg.dir, self.cfg.max_size // 2)
            except Exception as exc:  # noqa: BLE001 - cache is only an optimisation
                self._cache_failed = True
                self.stats.bump(Stat.CACHE_ERRORS)
                self.log(f"cache unavailable: {exc!r}")
                return None
        return self._cache

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
        if self._remote is not None:
            self._remote.close()


def _identity(ctx: Context) -> Identity:
    """Everything besides the IR that the decision depends on (black's Mode.get_cache_key):
    the proposer's own key (policy, its constants, profile digest, stage) and the
    validator's budgets, so a change of any of them misses."""
    from lazycc import proposer, versions
    from lazycc.config import validator_bounds

    return Identity(
        clang=ir.clang_identity(ctx.clang, ctx.cfg.dir),
        policy=f"{ctx.cfg.policy};stage={ctx.cfg.lazify_stage}",
        proposer=(proposer.cache_key(ctx.cfg.policy, ctx.cfg.profile_use or None, ctx.cfg.lazify_stage)
                  + f";engine={versions.ENGINE_VERSION}"),
        validator=versions.VALIDATOR_VERSION,
        bounds=validator_bounds(ctx.cfg).key(),
    )


def cache_identity(ctx: Context) -> Identity:
    """The identity rewrite keys are made under (public for `--cache-import`)."""
    return _identity(ctx)


def _cache_call(ctx: Context, fn, *args, direct_mode: bool = False):
    """Run a cache operation; corrupt entries and errors count and read as a miss."""
    cache = ctx.direct_store if direct_mode else ctx.cache
    if cache is None:
        return None
    try:
        return fn(cache, *args)
    except CorruptEntry as exc:
        ctx.stats.bump(Stat.CACHE_CORRUPT)
        ctx.log(f"corrupt cache entry discarded: {exc}")
    except Exception as exc:  # noqa: BLE001
        ctx.stats.bump(Stat.CACHE_ERRORS)
        ctx.log(f"cache error: {exc!r}")
    return None


def decide_rewrite(ctx: Context, module: ir.IRModule) -> Rewrite | Fallback:
    """The verified rewrite of `module` (from the cache or a pipeline run), KEEP, or a Fallback."""
    if ctx.cfg.policy == "none":
        return KEEP
    from lazycc.candidates import no_candidates

    skip = no_candidates(module.text, module.opt_level, ctx.cfg.lazify_stage)
    if skip:   # a text scan settles it: no analysis, no child, nothing worth caching
        ctx.stats.bump(Stat.SKIPPED_NO_CALLEE)
        ctx.log(f"{module.name}: unchanged (not analysed: {skip})")
        ctx.recorder.decision(outcome="unchanged", cache="miss")
        return KEEP
    identity = _identity(ctx)
    key = rewrite_key(identity, module.opt_level, module.text)
    store = ctx.rewrite_store
    found = store.get(key, lambda fetched: _accept_remote(ctx, module, fetched)) if store else None
    entry = None
    if found is not None:
        try:
            entry = decode_payload(found.payload)
        except CorruptEntry as exc:
            ctx.stats.bump(Stat.CACHE_CORRUPT)
            ctx.log(f"corrupt cache entry discarded: {exc}")
            _cache_call(ctx, LocalCache.remove, key)
    if entry is not None:
        ctx.stats.bump(Stat.CACHE_HITS)
        ctx.log(f"{module.name}: cache hit ({entry.get('decision')})")
        ctx.recorder.decision(outcome=entry.get("decision", "unchanged"), cache="rewrite-hit",
                              candidates=entry.get("candidates", 0), safe=entry.get("safe", 0),
                              deferred=len(entry.get("accepted_sites", ())),
                              functions=entry.get("functions", ()), verdicts=entry.get("verdicts", ()))
        if entry.get("decision") == "rewritten" and entry.get("verdict") == "correct":
            return Rewrite(with_source_filename(entry["ir"], module.text), len(entry.get("accepted_sites", ())))
        return KEEP
    ctx.stats.bump(Stat.CACHE_MISSES)

    from lazycc.config import validator_bounds
    from lazycc.pipeline import PipelineOptions

    options = PipelineOptions(policy=ctx.cfg.policy, bounds=validator_bounds(ctx.cfg),
                              max_iterations=ctx.cfg.max_iterations,
                              profile_path=ctx.cfg.profile_use or None, stage=ctx.cfg.lazify_stage)
    # The pipeline runs where it can be stopped for certain (see deadline.py).
    outcome = run_in_child(lambda: _run_pipeline(module, options, ctx.cfg.validate_memory_mb), ctx.cfg.timeout)
    if outcome.ending is Ending.DEADLINE:
        return Fallback(Stat.DEADLINE_FALLBACKS,
                        f"deadline: rewrite pipeline {outcome.detail} (LAZYCC_TIMEOUT); plain clang, not cached")
    if outcome.ending is not Ending.DONE:
        hint = " (z3 past LAZYCC_VALIDATE_MEMORY_MB, or a native crash)" if outcome.ending is Ending.CRASHED else ""
        return Fallback(Stat.FALLBACKS, f"fallback to plain clang: PipelineFailure: rewrite pipeline "
                                        f"{outcome.ending.value}: {outcome.detail.strip()}{hint}")
    result = outcome.value
    for counter, value in ((Stat.TIME_CANDIDATES_S, result.time_candidates_s),
                           (Stat.TIME_PROPOSE_S, result.time_propose_s),
                           (Stat.TIME_REWRITE_S, result.time_rewrite_s),
                           (Stat.TIME_VALIDATE_S, result.time_validate_s)):
        ctx.stats.bump(counter, value)
    ctx.stats.bump(Stat.REWRITES_REJECTED, len(result.rejected_sites))
    from lazycc.pipeline import BAILOUT_BUDGET, BAILOUT_NO_SAFE, BAILOUT_NOTHING_DEFERRED
    bailout = {BAILOUT_BUDGET: Stat.BAILOUT_BUDGET, BAILOUT_NO_SAFE: Stat.BAILOUT_NO_SAFE,
               BAILOUT_NOTHING_DEFERRED: Stat.BAILOUT_NOTHING_DEFERRED}.get(result.bailout)
    if bailout is not None:
        ctx.stats.bump(bailout)
    for _function, verdict, *_ in result.verdicts:
        ctx.stats.bump(verdict_stat(verdict))
    rewritten = result.module is not None
    norm = normalise_ir(module.text)
    ch = result.changes if rewritten else None
    record = RewriteEntry(
        decision="rewritten" if rewritten else ("rejected" if result.rejected_sites else "unchanged"),
        verdict="correct" if rewritten else "",
        ir=result.module.text if rewritten else None,
        input_digest=sha256(norm), input_ir=norm, opt_level=module.opt_level, stage=ctx.cfg.lazify_stage,
        identity=identity.render(),
        changes=(ChangesRecord(ch.sites, ch.callers, tuple((c.name, c.original, c.deferred_params) for c in ch.clones),
                               ch.force_functions, ch.thunk_prefix) if ch is not None else None),
        proposer=result.proposer, validator=identity.validator, bounds=options.bounds.key(),
        accepted_sites=tuple(result.accepted_sites), rejected_sites=tuple(result.rejected_sites),
        iterations=result.iterations, verdicts=tuple(tuple(v) for v in result.verdicts),
        candidates=result.candidates, safe=result.safe_candidates,
        functions=tuple(tuple(f) for f in result.functions),
        times={"candidates": result.time_candidates_s, "propose": result.time_propose_s,
               "rewrite": result.time_rewrite_s, "validate": result.time_validate_s})
    entry = record.to_dict()
    ctx.recorder.decision(outcome=entry["decision"], cache="miss", candidates=result.candidates,
                          safe=result.safe_candidates, deferred=len(result.accepted_sites),
                          functions=result.functions, verdicts=result.verdicts)
    for stage in ("candidates", "propose", "rewrite", "validate"):
        ctx.recorder.add_stage(stage, getattr(result, f"time_{stage}_s"), getattr(result, f"cpu_{stage}_s"))
    for note in result.notes:
        ctx.log(f"{module.name}: {note}")
    ctx.log(f"{module.name}: {entry['decision']} (candidates={result.candidates}, safe={result.safe_candidates}, "
            f"accepted={len(result.accepted_sites)}, rejected={len(result.rejected_sites)}, "
            f"iterations={result.iterations})")
    for function, verdict, reason, units, steps in result.verdicts:
        ctx.log(f"{module.name}: validator: @{function}: {verdict}{' (' + reason + ')' if reason else ''} "
                f"[{units} z3 units, {steps} steps]")
    if result.reproducible:
        if store is not None:
            store.put(key, encode_payload(entry))
    else:
        ctx.log(f"{module.name}: not cached: a wall-clock limit decided a verdict")
    return Rewrite(entry["ir"], len(result.accepted_sites), reproducible=result.reproducible)


def _accept_remote(ctx: Context, module: ir.IRModule, fetched) -> bytes | None:
    """A decision fetched from a remote (share.Fetched), checked before use: the payload to
    copy to the local cache, or None.

    A rewrite is proven again here (`pipeline.recheck`, in the deadline child like the
    pipeline) unless it is signed by a key we trust; anything that fails is counted
    `remote_rejected`, never used, and the compile goes on as a miss. Negative decisions
    keep clang's own object, so they are safe to take as they are."""
    def reject(why: str) -> None:
        ctx.stats.bump(Stat.REMOTE_REJECTED)
        ctx.log(f"{module.name}: remote entry from {fetched.source} rejected: {why}")

    try:
        entry = RewriteEntry.from_dict(decode_payload(fetched.payload))
    except CorruptEntry as exc:
        return reject(f"malformed: {exc}")
    if entry.input_digest != sha256(normalise_ir(module.text)):
        return reject("made for another input")
    if entry.decision == "rewritten" and not (entry.rewritten and entry.changes is not None):
        return reject("rewritten without verified IR and changes record")
    if entry.rewritten:
        entry = replace(entry, ir=with_source_filename(entry.ir, module.text))
    if entry.rewritten and not fetched.signed:
        ok, why = recheck_entry(ctx, module, entry)
        if not ok:
            return reject(why)
        ctx.log(f"{module.name}: remote entry re-validated ({why})")
    ctx.stats.bump(Stat.REMOTE_HITS)
    ctx.log(f"{module.name}: remote hit from {fetched.source}" + (" (signed)" if fetched.signed else ""))
    return encode_payload(entry.to_dict())


def recheck_entry(ctx: Context, module: ir.IRModule, entry: RewriteEntry) -> tuple[bool, str]:
    """Prove a rewrite from elsewhere again for our `module` (remote hits, `--cache-import`).
    Runs in the deadline child like the pipeline: a failure or the deadline is a rejection."""
    from lazycc.config import validator_bounds
    from lazycc.pipeline import PipelineOptions

    options = PipelineOptions(policy=ctx.cfg.policy, bounds=validator_bounds(ctx.cfg), stage=ctx.cfg.lazify_stage)
    t = time.perf_counter()
    outcome = run_in_child(lambda: _run_recheck(module, entry, options, ctx.cfg.validate_memory_mb), ctx.cfg.timeout)
    ctx.stats.bump(Stat.TIME_VALIDATE_S, time.perf_counter() - t)
    if outcome.ending is not Ending.DONE:
        return False, f"re-validation {outcome.ending.value}: {outcome.detail.strip()}"
    if not outcome.value.ok:
        return False, f"re-validation failed: {outcome.value.reason}"
    return True, outcome.value.reason


def _run_recheck(module: ir.IRModule, entry: RewriteEntry, options, memory_mb: int):
    """In the child: prove a fetched rewrite again (the stages load here)."""
    from lazycc import validator
    from lazycc.pipeline import recheck
    from lazycc.rewriter import Changes, LazyClone

    validator.cap_memory(memory_mb)
    ch = entry.changes
    changes = Changes(sites=ch.sites, callers=ch.callers,
                      clones=tuple(LazyClone(n, o, ps) for n, o, ps in ch.clones),
                      force_functions=ch.force_functions)  # the thunk prefix is always our rewriter's
    return recheck(module, entry.ir, changes, options)


def _run_pipeline(module: ir.IRModule, options, memory_mb: int):
    """In the child: the stages load here, so a warm compile never imports them."""
    from lazycc import validator
    from lazycc.pipeline import run_pipeline

    validator.cap_memory(memory_mb)
    return run_pipeline(module, options)


def instrumented_module(ctx: Context, module: ir.IRModule) -> Rewrite:
    """An instrumented build for the `profile` policy (like -fprofile-generate).

    Every safe site is lazified and counts calls and first forces per stable
    site id; the program appends them to the profile file at exit. The user
    asked for a training build, whose counters make it differ from the source
    on purpose, so it is not validated and no rewrite decision is stored.
    """
    from lazycc.candidates import find_candidates
    from lazycc.rewriter.instrument import instrument

    path = ctx.cfg.profile_generate
    if os.path.isdir(path) or path.endswith(os.sep):
        path = os.path.join(path, "lazycc.prof")
    result = instrument(find_candidates(module, stage=ctx.cfg.lazify_stage),
                        default_path=os.path.abspath(path))
    if result.changes.empty:
        return Rewrite(None, counter=Stat.MODULES_INSTRUMENTED)
    ctx.log(f"{module.name}: instrumented {len(result.changes.sites)} sites, profile -> {path}")
    return Rewrite(result.rewritten.text, 0, Stat.MODULES_INSTRUMENTED)


def rewrite_module(ctx: Context, module: ir.IRModule) -> Rewrite | Fallback:
    """The rewrite path's decision for one module, as a value (never raises).

    The pipeline itself runs in a child whose failures come back as values; what runs
    here (cache keys, the in-process instrumentation of a training build) may still raise,
    and that is converted at this one boundary (never break a build)."""
    try:
        if ctx.cfg.profile_generate:
            return instrumented_module(ctx, module)
        return decide_rewrite(ctx, module)
    except Exception as exc:  # noqa: BLE001 - never break a build
        return Fallback(Stat.FALLBACKS, f"fallback to plain clang: {type(exc).__name__}: {exc}")


def _write(directory: str, name: str, text: str) -> str:
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write(text)
    return path


def _cached_object(ctx: Context, argv: list[str], text: str, output: str) -> str | None:
    """The object key for (argv, IR); None when the object was replayed from the cache."""
    key = object_key(ir.clang_identity(ctx.clang, ctx.cfg.dir), argv, text)
    blob = _cache_call(ctx, LocalCache.get_bytes, key)
    if blob is None:
        return key
    ctx.stats.bump(Stat.OBJECT_HITS)
    atomic_write(output, blob)
    return None


def _lower_cached(ctx: Context, job: CompileJob, text: str, ll_path: str, output: str,
                  quiet_failure: bool = False, echo: bool = True) -> tuple[int, bytes]:
    """Lower `text` to `output`, reusing a cached object for the same IR and flags."""
    key = _cached_object(ctx, lowering.lower_command(ctx.clang, job.lowering_args, "<ir>", "<obj>"), text, output)
    if key is None:
        return 0, b""
    _write(os.path.dirname(ll_path), os.path.basename(ll_path), text)
    rc, diagnostics = lowering.lower(ctx.clang, job.lowering_args, ll_path, output, quiet_failure=quiet_failure,
                                     echo=echo)
    if rc == 0:
        with open(output, "rb") as fh:
            _cache_call(ctx, LocalCache.put_bytes, key, fh.read())
    return rc, diagnostics


def _compile_unchanged(ctx: Context, job: CompileJob, text: str, ll_path: str, output: str,
                       extra: tuple[str, ...], shown: bytes) -> tuple[int, bytes]:
    """An unrewritten module's object is clang's own compile of the source, byte for byte.

    Lowering the front end's IR text gives the same code but can number private
    symbols differently (`.Lstr.5` vs `.Lstr.1`: LLVM's name-uniquing counter does not
    survive the text round trip), so the user's own compile runs again; it costs the
    front end once more (a few percent at -O2). Cached by the IR like a lowering. Its
    diagnostics beyond those the front end already showed (`shown`) are the backend's.
    """
    # the IR stands for the source and the preprocessor flags; depfile paths do not matter
    key = _cached_object(ctx, ["<plain>", *job.lowering_args], text, output)
    if key is None:
        return 0, b""
    proc = ir.compile_plain(ctx.clang, job.args, job.source, output, extra, echo=False)
    if proc.returncode != 0:  # the front end accepted it a moment ago: lower the IR instead
        ctx.log(f"{job.source}: plain recompile failed ({proc.returncode}); lowering the IR")
        return _lower_cached(ctx, job, text, ll_path, output)
    diag = proc.stderr[len(shown):] if proc.stderr.startswith(shown) else b""
    if diag:
        sys.stderr.buffer.write(diag)
        sys.stderr.flush()
    with open(output, "rb") as fh:
        _cache_call(ctx, LocalCache.put_bytes, key, fh.read())
    return 0, diag


@dataclass
class DirectPlan:
    """How this compile takes part in direct mode (None of it when not eligible)."""

    key: str
    extra: tuple[str, ...]   # flags added to the front-end step to learn the inputs
    depfile: str             # where the full dependency list will be
    user_depfile: bool       # the depfile is the user's own (replayed on a hit)
    source: direct.SourceSnapshot | None = None  # the source as the key read it


def plan_direct(ctx: Context, job: CompileJob, output: str, workdir: str,
                extra: tuple[str, ...]) -> DirectPlan | None:
    """Direct mode needs a full dependency list: ours (no dep flags) or the user's -MD."""
    if ctx.cfg.nocache or ctx.cfg.profile_generate:
        return None
    if job.source.endswith(".i"):
        return None  # preprocessed (a distcc node's temporary file): no headers, and -MD would warn
    deps = job.deps.names
    if deps & {"-MMD", "-MG", "-M", "-MM"}:
        return None  # system headers missing from the list: cannot prove a hit
    if "-MD" in deps:
        mf = job.deps.depfile
        depfile, user = (mf if mf is not None else os.path.splitext(output)[0] + ".d"), True
        added: tuple[str, ...] = ()
    elif deps:
        return None
    else:
        depfile, user = os.path.join(workdir, "deps.d"), False
        added = ("-MD", "-MF", depfile)
    argv = [*job.args, *extra, "-c", job.source, "-o", output]
    read = direct.read_source(job.source)
    if read is None:
        return None
    key = direct.manifest_key_of(_identity(ctx).render(), argv, os.getcwd(), read[0])
    return None if key is None else DirectPlan(key, added, depfile, user, read[1])


def _color_flags(job: CompileJob) -> tuple[str, ...]:
    """Keep clang's colours on a terminal although we read its stderr through a pipe."""
    if job.color_option or not sys.stderr.isatty():
        return ()
    return ("-fcolor-diagnostics",)


def compile_job(ctx: Context, job: CompileJob, output: str) -> int:
    """Compile one C source to `output`; returns clang's exit code."""
    t_start = time.perf_counter()
    started_ns = time.time_ns()
    ctx.stats.bump(Stat.COMPILATIONS)
    if ctx.cfg.record:
        ctx.recorder = Recorder(ctx.cfg.record, source=job.source, output=output,
                                flags=[*job.args, "-c", job.source, "-o", output], policy=ctx.cfg.policy,
                                stage=ctx.cfg.lazify_stage, opt_level=job.opt_level)
    rc = 1
    workdir = make_temp_dir("lazycc-")
    try:
        extra = _color_flags(job)
        dplan = None
        try:
            dplan = plan_direct(ctx, job, output, workdir, extra)
            hit = _cache_call(ctx, direct.lookup, dplan.key, direct_mode=True) if dplan else None
        except Exception as exc:  # noqa: BLE001
            ctx.log(f"{job.source}: direct mode unavailable: {exc!r}")
            hit = None
        if hit is not None:
            ctx.stats.bump(Stat.CACHE_HITS)
            ctx.stats.bump(Stat.DIRECT_HITS)
            ctx.log(f"{job.source}: direct hit")
            ctx.recorder.set(outcome="cached", cache="direct-hit")
            if hit.depfile is not None and dplan.user_depfile:
                atomic_write(dplan.depfile, hit.depfile.encode("utf-8", "surrogateescape"))
            atomic_write(output, hit.object_bytes)
            if hit.stderr:
                sys.stderr.buffer.write(hit.stderr)
                sys.stderr.flush()
            rc = 0
            if ctx.on_direct is not None:
                ctx.on_direct(dplan)
            return rc

        # A command direct mode has never seen (no manifest: a first or clean-cache build, an
        # edited source) is a miss all the way: one clang run gives the object and the IR. A seen
        # one whose headers changed may well keep its IR, which the emit path turns into rewrite
        # and object cache hits without a whole compile.
        seen = dplan is not None and _cache_call(ctx, direct.known, dplan.key, direct_mode=True) is not False
        rc, diagnostics, unreplayable = _compile_fresh(ctx, job, output, workdir,
                                                       extra + (dplan.extra if dplan else ()),
                                                       share_front_end=dplan is not None and not seen)
        if rc == 0 and dplan is not None and unreplayable:
            ctx.log(f"{job.source}: not stored for direct mode: {unreplayable}")
        elif rc == 0 and dplan is not None:
            try:
                with open(dplan.depfile, encoding="utf-8", errors="surrogateescape") as fh:
                    deptext = fh.read()
                with open(output, "rb") as fh:
                    result = direct.CompileResult(fh.read(), deptext if dplan.user_depfile else None,
                                                  diagnostics)
                why = _cache_call(ctx, direct.store, dplan.key, direct.parse_depfile(deptext),
                                  started_ns, result, dplan.source, direct_mode=True)
                if why:
                    ctx.log(f"{job.source}: not stored for direct mode: {why}")
                elif why is not None and ctx.on_direct is not None:
                    ctx.on_direct(dplan)
            except OSError as exc:
                ctx.log(f"{job.source}: not stored for direct mode: {exc!r}")
        return rc
    finally:
        remove_tree(workdir)
        ctx.stats.bump(Stat.TIME_TOTAL_S, time.perf_counter() - t_start)
        if rc == 0:  # a module that does not compile has no record (its build fails: NOEXE)
            ctx.recorder.write()
        ctx.recorder = OFF


def _decide(ctx: Context, job: CompileJob, module: ir.IRModule) -> tuple[Rewrite, str]:
    """`rewrite_module`, a fallback taken as KEEP (counted, logged, recorded): the decision
    and why direct mode must not replay the outcome, or ""."""
    decision = rewrite_module(ctx, module)
    if isinstance(decision, Fallback):
        decision.count(ctx.stats)
        ctx.log(f"{job.source}: {decision.reason}")
        ctx.recorder.set(outcome="fallback", fallback=decision.reason)
        return KEEP, "a fallback (not cached)"
    if decision.counter is Stat.MODULES_INSTRUMENTED:
        ctx.recorder.set(outcome="instrumented")
        return decision, ""
    return decision, "" if decision.reproducible else "a wall-clock limit decided a verdict (not cached)"


def _count_rewritten(ctx: Context, module: ir.IRModule, decision: Rewrite) -> None:
    ctx.stats.bump(decision.counter)
    ctx.stats.bump(Stat.REWRITES_ACCEPTED, decision.sites)
    ctx.recorder.structure(module.text, decision.text)


def _lowering_failed(ctx: Context, job: CompileJob, rc: int) -> str:
    """Count and record a rewritten module that did not lower (plain clang follows); returns
    why direct mode must not replay it."""
    failed = Fallback(Stat.FALLBACKS, f"lowering the rewritten module failed ({rc}); plain clang instead")
    failed.count(ctx.stats)
    ctx.log(f"{job.source}: {failed.reason}")
    ctx.recorder.set(outcome="fallback", fallback=failed.reason)
    return "a fallback (not cached)"


def _compile_fresh(ctx: Context, job: CompileJob, output: str, workdir: str,
                   extra: tuple[str, ...], share_front_end: bool = False) -> tuple[int, bytes, str]:
    """Compile without a direct hit: returns (exit code, all diagnostics printed, why direct
    mode must not replay the outcome or ""). A fallback or a verdict decided by a wall-clock
    limit may come out differently on an idle machine: like the rewrite cache, direct mode
    does not keep it (else a loaded first build would decide every later one).

    `share_front_end` (direct mode takes part and has never seen the command, so this compile
    is a miss all the way): the user's own compile runs first and hands back the IR too
    (`ir.compile_keeping_ir`), so an unrewritten module, the usual outcome, costs one front
    end instead of two; only a rewritten one is lowered besides."""
    t = time.perf_counter()
    if ctx.cfg.policy == "none" and not ctx.cfg.profile_generate:
        # Nothing to rewrite: the user's own compile, one clang run.
        with ctx.recorder.stage("lower"):
            proc = ir.compile_plain(ctx.clang, job.args, job.source, output, extra)
        ctx.stats.bump(Stat.TIME_LOWER_S, time.perf_counter() - t)
        if proc.returncode != 0:
            ctx.stats.bump(Stat.COMPILE_ERRORS)
        else:
            ctx.stats.bump(Stat.MODULES_UNCHANGED)
        return proc.returncode, proc.stderr, ""

    if share_front_end and ctx.cfg.policy != "none" and not ctx.cfg.profile_generate \
            and not any(a.startswith("-mllvm") for a in job.args):
        shared = _compile_shared(ctx, job, output, workdir, extra)
        if shared is not None:
            return shared
        t = time.perf_counter()
    ll_orig = os.path.join(workdir, "input.ll")
    with ctx.recorder.stage("emit"):
        emitted = ir.emit_ir(ctx.clang, job.front_end_args(output), job.source, ll_orig, extra)
    ctx.stats.bump(Stat.TIME_EMIT_S, time.perf_counter() - t)
    if emitted.returncode != 0:
        ctx.stats.bump(Stat.COMPILE_ERRORS)
        ctx.log(f"{job.source}: clang front end failed ({emitted.returncode})")
        return emitted.returncode, emitted.stderr, ""
    module = ir.IRModule(emitted.text, name=job.source, opt_level=job.opt_level)

    decision, unreplayable = _decide(ctx, job, module)

    t = time.perf_counter()
    try:
        if decision.text is not None:
            with ctx.recorder.stage("lower"):
                rc, diag = _lower_cached(ctx, job, decision.text, os.path.join(workdir, "rewritten.ll"), output,
                                         quiet_failure=True)
            if rc == 0:
                _count_rewritten(ctx, module, decision)
                return 0, emitted.stderr + diag, unreplayable
            unreplayable = _lowering_failed(ctx, job, rc)
        ctx.stats.bump(Stat.MODULES_UNCHANGED)
        ctx.recorder.structure(module.text, None)
        with ctx.recorder.stage("lower"):
            rc, diag = _compile_unchanged(ctx, job, module.text, ll_orig, output, extra, emitted.stderr)
        return rc, emitted.stderr + diag, unreplayable
    finally:
        ctx.stats.bump(Stat.TIME_LOWER_S, time.perf_counter() - t)


def _compile_shared(ctx: Context, job: CompileJob, output: str, workdir: str,
                    extra: tuple[str, ...]) -> tuple[int, bytes, str] | None:
    """`_compile_fresh` with one front end: the user's own compile writes the object and
    hands back the IR; a verified rewrite is then lowered over that object. Diagnostics are
    that compile's, i.e. clang's own for the user's code (a rewritten module's lowering is
    quiet: its backend would repeat them). None when no IR came back (the caller emits it
    the usual way; the object written here is overwritten)."""
    t = time.perf_counter()
    dump_dir = os.path.join(workdir, "ir-dump")
    os.mkdir(dump_dir)
    with ctx.recorder.stage("emit"):
        proc, text = ir.compile_keeping_ir(ctx.clang, job.args, job.source, output, dump_dir, extra)
    ctx.stats.bump(Stat.TIME_EMIT_S, time.perf_counter() - t)
    if proc.returncode != 0:
        ctx.stats.bump(Stat.COMPILE_ERRORS)
        ctx.log(f"{job.source}: clang failed ({proc.returncode})")
        return proc.returncode, proc.stderr, ""
    if text is None:
        ctx.log(f"{job.source}: no IR from the compile; emitting it separately")
        return None
    ctx.stats.bump(Stat.SHARED_FRONT_END)
    module = ir.IRModule(text, name=job.source, opt_level=job.opt_level)
    decision, unreplayable = _decide(ctx, job, module)
    t = time.perf_counter()
    try:
        if decision.text is not None:
            lowered = os.path.join(workdir, "rewritten.o")
            with ctx.recorder.stage("lower"):
                rc, _diag = _lower_cached(ctx, job, decision.text, os.path.join(workdir, "rewritten.ll"), lowered,
                                          quiet_failure=True, echo=False)
            if rc == 0:
                with open(lowered, "rb") as fh:   # the temp dir may be on another file system
                    atomic_write(output, fh.read())
                _count_rewritten(ctx, module, decision)
                return 0, proc.stderr, unreplayable
            unreplayable = _lowering_failed(ctx, job, rc)
        # the object at `output` is the user's own compile: kept under the key
        # `_compile_unchanged` uses, so a compile outside direct mode can reuse it
        ctx.stats.bump(Stat.MODULES_UNCHANGED)
        ctx.recorder.structure(module.text, None)
        key = object_key(ir.clang_identity(ctx.clang, ctx.cfg.dir), ["<plain>", *job.lowering_args], module.text)
        with open(output, "rb") as fh:
            _cache_call(ctx, LocalCache.put_bytes, key, fh.read())
        return 0, proc.stderr, unreplayable
    finally:
        ctx.stats.bump(Stat.TIME_LOWER_S, time.perf_counter() - t)
