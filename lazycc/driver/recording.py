"""`LAZYCC_RECORD=DIR`: one `CompileRecord` per compiled module, written by the process that did
the work (the compile server's worker included), so the harness sees wall and CPU time that lit's
`compile_time` (the client's CPU only) misses.

The driver fills a `Recorder` as the compile goes; it writes once, at the end of the compile, on
every path (fresh compile, rewrite-cache hit, direct hit, fallback). With recording off every
method is a no-op, so call sites need no guard.
"""
from __future__ import annotations

import os
import resource
import time
from contextlib import contextmanager
from typing import Iterator

from lazycc import record
from lazycc.stats import verdict_stat


def _cpu_now() -> float:
    """CPU seconds of this process plus its waited-for children (clang, the pipeline's child)."""
    own = time.process_time()
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + ch.ru_utime + ch.ru_stime


class Recorder:
    """Collects what one compile did to its module; `write()` appends it to the record directory."""

    def __init__(self, directory: str, *, source: str, output: str, flags: list[str], policy: str,
                 stage: str, opt_level: str):
        self.directory = directory
        self.fields: dict = dict(source=os.path.abspath(source), output=os.path.abspath(output),
                                 flags=list(flags), policy=policy, stage=stage, opt_level=opt_level)
        self.stages: dict[str, dict[str, float]] = {}
        self._t0, self._c0 = time.perf_counter(), _cpu_now()

    @property
    def active(self) -> bool:
        return bool(self.directory)

    def set(self, **fields) -> None:
        if self.active:
            self.fields.update(fields)

    def add_stage(self, name: str, wall_s: float, cpu_s: float) -> None:
        if self.active:
            row = self.stages.setdefault(name, {"wall_s": 0.0, "cpu_s": 0.0})
            row["wall_s"] += wall_s
            row["cpu_s"] += cpu_s

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t, c = time.perf_counter(), _cpu_now()
        try:
            yield
        finally:
            self.add_stage(name, time.perf_counter() - t, _cpu_now() - c)

    def structure(self, before_text: str, after_text: str | None) -> None:
        """IR structure of the module as emitted and as lowered (the rewritten module, if any)."""
        if self.active:
            before = record.structure_counts(before_text)
            after = record.structure_counts(after_text) if after_text is not None else dict(before)
            self.fields["structure"] = {"before": before, "after": after}

    def decision(self, *, outcome: str, cache: str, candidates: int = 0, safe: int = 0, deferred: int = 0,
                 functions: list | tuple = (), verdicts: list | tuple = ()) -> None:
        """A rewrite decision (fresh or replayed from the cache entry that stored it).

        `functions` rows are (caller, candidates, safe, deferred); `verdicts` rows are
        (function, verdict, ...) in the order the validator gave them, one per try."""
        if not self.active:
            return
        kinds = dict.fromkeys(record.VERDICT_KINDS, 0)
        tries: dict[str, list[str]] = {}
        for function, verdict, *_ in verdicts:
            kinds[_verdict_kind(verdict)] += 1
            tries.setdefault(function.lstrip("@"), []).append(verdict)
        per_function = {}
        for caller, n_cand, n_safe, n_deferred in functions:
            name = caller.lstrip("@")
            seen = tries.get(name, [])
            per_function[name] = {"candidates": n_cand, "safe": n_safe, "deferred": n_deferred,
                                  "tries": len(seen), "first_try_failed": bool(seen) and seen[0] != "correct"}
        self.fields.update(outcome=outcome, cache=cache, candidates=candidates, safe=safe, deferred=deferred,
                           functions=per_function, verdicts=kinds)

    def write(self) -> None:
        """Append the record (never raises: a record is not worth a build)."""
        if not self.active:
            return
        self.stages["total"] = {"wall_s": time.perf_counter() - self._t0, "cpu_s": _cpu_now() - self._c0}
        try:
            record.append_record(self.directory, record.CompileRecord(stages=self.stages, **self.fields))
        except Exception:  # noqa: BLE001
            pass


def _verdict_kind(verdict: str) -> str:
    """The validator's verdict text → a record verdict kind (the name of its stats counter)."""
    return verdict_stat(verdict).value.removeprefix("verdicts_")


OFF = Recorder("", source="", output="", flags=[], policy="", stage="", opt_level="")
