"""Counters: one table. `--show-stats`, `--show-stats --json` and the docs derive from it.

Stored as JSON in $LAZYCC_DIR/stats.json, updated under an flock with one
read-modify-write per invocation (so `make -j` never loses a count). Ids are
stable and never reused; the pass-through reasons are the `Reason` values of
the driver's classifier.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

import fcntl
from contextlib import contextmanager


@contextmanager
def _locked(path: str):
    """Exclusive advisory lock on `path` (fcntl: no import cost on every compile)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Counter:
    id: str
    description: str
    group: str  # "compile" | "cache" | "rewrite" | "error" | "time"


# Each row says when it is bumped.
COUNTERS: tuple[Counter, ...] = (
    # once per rewrite-path compile of one C source (incl. each source of a compile-and-link)
    Counter("compilations", "rewrite-path compiles", "compile"),
    # user's code failed to compile: clang's diagnostics and exit code were returned
    Counter("compile_errors", "compiles that failed in clang (user error)", "compile"),
    # a stored decision was reused: a direct-mode hit, or a rewrite-cache hit on the IR
    Counter("cache_hits", "cache hits", "cache"),
    # rewrite-cache lookup found nothing (or a corrupt entry) and the pipeline ran
    Counter("cache_misses", "cache misses", "cache"),
    # direct mode: a whole compile result (object, depfile, diagnostics) replayed without clang
    Counter("direct_hits", "direct-mode hits (no clang run)", "cache"),
    # an object for the same IR + lowering flags was reused
    Counter("object_hits", "object cache hits", "cache"),
    # an entry failed its integrity check and was discarded
    Counter("cache_corrupt", "corrupt cache entries discarded", "cache"),
    # a cache read/write raised; treated as a miss, the compile went on
    Counter("cache_errors", "cache errors (treated as miss)", "cache"),
    # per call-site argument: the validator proved the rewrite and it went into the object
    Counter("rewrites_accepted", "deferred arguments accepted (verified)", "rewrite"),
    # per call-site argument: proposed but not proven (incorrect, unknown, timeout)
    Counter("rewrites_rejected", "deferred arguments rejected by the validator", "rewrite"),
    # modules whose object contains a verified rewrite
    Counter("modules_rewritten", "modules rewritten", "rewrite"),
    # LAZYCC_PROFILE_GENERATE builds: modules lowered with per-site use counters (not validated)
    Counter("modules_instrumented", "modules instrumented for profiling", "rewrite"),
    # modules compiled without any rewrite (nothing worth doing, or nothing proven)
    Counter("modules_unchanged", "modules left unchanged", "rewrite"),
    # an internal failure or timeout: the object came from plain clang instead
    Counter("fallbacks", "internal failures that fell back to plain clang", "error"),
    Counter("deadline_fallbacks", "rewrite pipelines killed at LAZYCC_TIMEOUT (not cached)", "error"),
    Counter("time_total_s", "seconds spent in lazycc rewrite-path compiles", "time"),
    Counter("time_emit_s", "seconds emitting IR (clang front end)", "time"),
    Counter("time_candidates_s", "seconds in candidate analysis", "time"),
    Counter("time_propose_s", "seconds in the proposer", "time"),
    Counter("time_rewrite_s", "seconds in the rewriter", "time"),
    Counter("time_validate_s", "seconds in the validator", "time"),
    Counter("time_lower_s", "seconds lowering IR to objects", "time"),
)
BY_ID = {c.id: c for c in COUNTERS}
STATS_FILE = "stats.json"


class Stats:
    """Per-invocation deltas, flushed once into the shared stats file."""

    def __init__(self) -> None:
        self.delta: dict[str, float] = {}
        self.passthrough: dict[str, int] = {}

    def bump(self, counter_id: str, amount: float = 1) -> None:
        if counter_id not in BY_ID:
            raise KeyError(f"unknown counter {counter_id!r}")
        self.delta[counter_id] = self.delta.get(counter_id, 0) + amount

    def bump_passthrough(self, reason: str) -> None:
        self.passthrough[reason] = self.passthrough.get(reason, 0) + 1

    def flush(self, cache_dir: str) -> None:
        """Merge deltas into the stats file; never raises (stats must not break a build)."""
        if not self.delta and not self.passthrough:
            return
        try:
            os.makedirs(cache_dir, exist_ok=True)
            path = os.path.join(cache_dir, STATS_FILE)
            with _locked(path + ".lock"):
                data = read(cache_dir)
                for k, v in self.delta.items():
                    data[k] = data.get(k, 0) + v
                pt = data.setdefault("passthrough", {})
                for k, v in self.passthrough.items():
                    pt[k] = pt.get(k, 0) + v
                tmp = f"{path}.{os.getpid()}.tmp"
                with open(tmp, "w") as fh:
                    json.dump(data, fh, sort_keys=True)
                os.replace(tmp, path)
            self.delta.clear()
            self.passthrough.clear()
        except (OSError, ValueError):
            pass


def read(cache_dir: str) -> dict:
    """Current totals with every counter present (zero when never bumped)."""
    data: dict = {}
    try:
        with open(os.path.join(cache_dir, STATS_FILE)) as fh:
            data = json.load(fh)
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    for c in COUNTERS:
        data.setdefault(c.id, 0)
    data.setdefault("passthrough", {})
    return data


def zero(cache_dir: str) -> None:
    path = os.path.join(cache_dir, STATS_FILE)
    os.makedirs(cache_dir, exist_ok=True)
    with _locked(path + ".lock"):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def format_table(data: dict, extra: dict | None = None) -> str:
    rows: list[tuple[str, str]] = []
    group = None
    for c in COUNTERS:
        if c.group != group:
            group = c.group
            rows.append((f"[{group}]", ""))
        v = data.get(c.id, 0)
        rows.append(("  " + c.description, f"{v:.3f}" if c.group == "time" else str(int(v))))
    rows.append(("[passthrough]", ""))
    pt = data.get("passthrough", {})
    rows.append(("  total", str(sum(pt.values()))))
    for reason in sorted(pt):
        rows.append((f"  {reason}", str(pt[reason])))
    for k, v in (extra or {}).items():
        rows.append((k, str(v)))
    width = max(len(r[0]) for r in rows) + 2
    return "\n".join(f"{a:<{width}}{b:>12}" if b else a for a, b in rows)
