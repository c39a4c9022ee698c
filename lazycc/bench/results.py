"""Loading a `lazycc-bench` output directory: lit results, compile records and the state file.

Layout of DIR (written by `lazycc-bench test-suite` / `projects`):

    DIR/state.json                      steps done, build wall times, skipped configurations
    DIR/results/<config>/run<i>.json    lit -o output of run i (llvm-test-suite, mini-suite)
    DIR/results/<config>/projects-run<i>.json   same shape, from `lazycc-bench projects`
    DIR/records/<config>/records-*.jsonl        lazycc compile records (LAZYCC_RECORD)
    DIR/build/<config>/                 the build tree (used to map records to benchmarks)

A benchmark's name is lit's test name without the suite prefix and the `.test` suffix, e.g.
`SingleSource/Benchmarks/Misc/himenobmtxpa`; its category is the directory part.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

from lazycc.record import STRUCTURE_KEYS, iter_record_dicts

BASELINE = "clang"
_RUN_FILE = re.compile(r"^(?:(?P<kind>[A-Za-z0-9_]+)-)?run(?P<i>\d+)\.json$")


def bench_name(lit_name: str) -> str:
    """`test-suite :: SingleSource/Benchmarks/Misc/x.test` -> `SingleSource/Benchmarks/Misc/x`."""
    name = lit_name.split(" :: ", 1)[1] if " :: " in lit_name else lit_name
    return name[:-5] if name.endswith(".test") else name


def category(bench: str) -> str:
    return os.path.dirname(bench) or bench


@dataclass
class BenchRuns:
    """One benchmark under one configuration, over all runs."""

    name: str
    codes: list[str] = field(default_factory=list)
    exec_times: list[float] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)  # last run's metrics (size, hash, ...)
    output: str = ""

    @property
    def passed(self) -> bool:
        return bool(self.codes) and all(c == "PASS" for c in self.codes)

    @property
    def code(self) -> str:
        """The worst code over runs: FAIL/NOEXE/... beats PASS."""
        for c in self.codes:
            if c != "PASS":
                return c
        return "PASS" if self.codes else "MISSING"

    @property
    def exec_time(self) -> float:
        """Mean of the runs' exec_time (nan if none)."""
        xs = [t for t in self.exec_times if t is not None]
        return sum(xs) / len(xs) if xs else math.nan

    @property
    def size(self) -> float:
        v = self.metrics.get("size")
        return float(v) if v is not None else math.nan

    @property
    def hash(self) -> str | None:
        return self.metrics.get("hash")


@dataclass
class ConfigResults:
    config: str
    benches: dict[str, BenchRuns] = field(default_factory=dict)
    runs: int = 0
    records: list[dict] = field(default_factory=list)
    build: dict[str, Any] = field(default_factory=dict)  # wall_s, ok, failed_targets


@dataclass
class BenchDir:
    path: str
    configs: dict[str, ConfigResults]
    state: dict[str, Any]

    @property
    def order(self) -> list[str]:
        """Configurations, baseline first, then in the order they were run."""
        listed = self.state.get("configs") or []
        names = [c for c in listed if c in self.configs]
        names += sorted(c for c in self.configs if c not in names)
        if BASELINE in names:
            names.remove(BASELINE)
            names.insert(0, BASELINE)
        return names

    @property
    def baseline(self) -> str | None:
        return BASELINE if BASELINE in self.configs else (self.order[0] if self.configs else None)

    def all_benches(self) -> list[str]:
        names = set()
        for c in self.configs.values():
            names.update(c.benches)
        return sorted(names)


def load_lit_json(path: str) -> list[dict[str, Any]]:
    with open(path) as f:
        data = json.load(f)
    return data.get("tests", [])


def _merge_run(cr: ConfigResults, tests: list[dict[str, Any]]) -> None:
    for t in tests:
        name = bench_name(t.get("name", ""))
        br = cr.benches.setdefault(name, BenchRuns(name))
        br.codes.append(t.get("code", "UNKNOWN"))
        m = t.get("metrics") or {}
        if "exec_time" in m:
            br.exec_times.append(float(m["exec_time"]))
        br.metrics.update(m)
        if t.get("output"):
            br.output = t["output"]


def _record_bench(rec: dict[str, Any], build_dir: str) -> tuple[str | None, str]:
    """(benchmark name or None, category) of a record, from its output path.

    CMake puts objects of target T defined in directory D at `<build>/D/CMakeFiles/T.dir/...`, and
    the suite names the test `D/T.test`.  Outside a CMake tree (projects), the category is the
    output's directory relative to the build dir and there is no single benchmark.
    """
    out = rec.get("output") or ""
    if out and not os.path.isabs(out):
        out = os.path.join(rec.get("cwd") or "", out)
    cwd = rec.get("cwd") or ""
    if build_dir and out.startswith(build_dir + os.sep):
        rel = os.path.relpath(out, build_dir)
    elif cwd and out.startswith(cwd.rstrip(os.sep) + os.sep):  # ninja/make run in the build root
        rel = os.path.relpath(out, cwd)
    else:
        rel = out
    if "CMakeFiles/CMakeScratch/" in rel or "CMakeFiles/CMakeTmp/" in rel:
        return (None, "(cmake probes)")  # CMake's try-compiles: counted, never a benchmark
    pm = re.search(r"/projects/[^/]+/([^/]+)/", out)
    if pm and not out.startswith(build_dir + os.sep):  # lazycc-bench projects: one category each
        return (None, "projects/" + pm.group(1))
    m = re.search(r"(?:^|/)(?:(.*)/)?CMakeFiles/([^/]+)\.dir/", rel)
    if m:
        d = m.group(1) or ""
        return (f"{d}/{m.group(2)}" if d else m.group(2), d or m.group(2))
    return (None, os.path.dirname(rel))


def load(path: str) -> BenchDir:
    state: dict[str, Any] = {}
    sp = os.path.join(path, "state.json")
    if os.path.exists(sp):
        with open(sp) as f:
            state = json.load(f)
    configs: dict[str, ConfigResults] = {}
    rdir = os.path.join(path, "results")
    if os.path.isdir(rdir):
        for cfg in sorted(os.listdir(rdir)):
            cdir = os.path.join(rdir, cfg)
            if not os.path.isdir(cdir):
                continue
            cr = ConfigResults(cfg)
            runs: dict[int, list[str]] = {}
            for fn in sorted(os.listdir(cdir)):
                m = _RUN_FILE.match(fn)
                if m:
                    runs.setdefault(int(m.group("i")), []).append(os.path.join(cdir, fn))
            for i in sorted(runs):
                for p in runs[i]:
                    try:
                        _merge_run(cr, load_lit_json(p))
                    except (OSError, ValueError):
                        continue
            cr.runs = len(runs)
            if cr.benches:
                configs[cfg] = cr
    for cfg, cr in configs.items():
        build_dir = os.path.join(os.path.abspath(path), "build", cfg)
        for d in iter_record_dicts(os.path.join(path, "records", cfg)):
            bench, cat = _record_bench(d, build_dir)
            d = dict(d)
            d["_bench"] = bench
            d["_category"] = cat
            cr.records.append(d)
        cr.build = dict((state.get("builds") or {}).get(cfg) or {})
    return BenchDir(path=path, configs=configs, state=state)


# --- derived views over records ------------------------------------------------------------------

def lazified_functions(records: list[dict]) -> dict[str, int]:
    """Benchmark -> number of functions with at least one deferred argument (records with a known
    benchmark only; a direct/rewrite cache hit counts like the compile that produced it)."""
    out: dict[str, int] = {}
    for r in records:
        b = r.get("_bench")
        if b is None:
            continue
        n = sum(1 for f in (r.get("functions") or {}).values() if (f or {}).get("deferred", 0) > 0)
        out[b] = out.get(b, 0) + n
    return out


def structure_by_category(records: list[dict]) -> dict[str, dict[str, tuple[float, float]]]:
    """Category -> metric -> (sum before, sum after) over records that carry a structure."""
    out: dict[str, dict[str, list[float]]] = {}
    for r in records:
        st = r.get("structure") or {}
        before, after = st.get("before"), st.get("after")
        if not before or not after:
            continue
        cat = r.get("_category") or "?"
        acc = out.setdefault(cat, {k: [0.0, 0.0] for k in STRUCTURE_KEYS})
        for k in STRUCTURE_KEYS:
            acc[k][0] += float(before.get(k, 0) or 0)
            acc[k][1] += float(after.get(k, 0) or 0)
    return {c: {k: (v[0], v[1]) for k, v in d.items()} for c, d in out.items()}


def retry_counts(records: list[dict]) -> list[int]:
    """`tries` of every function whose first proposal failed."""
    out = []
    for r in records:
        for f in (r.get("functions") or {}).values():
            if f and f.get("first_try_failed"):
                out.append(int(f.get("tries", 0)))
    return out


def fallbacks(records: list[dict]) -> list[tuple[str, str]]:
    """(source, reason) of every record that fell back to plain clang."""
    return [(r.get("source", "?"), r.get("fallback") or "?") for r in records
            if r.get("outcome") == "fallback" or r.get("fallback")]


def stage_times(records: list[dict]) -> dict[str, tuple[float, float]]:
    """Stage -> (sum wall_s, sum cpu_s) over records."""
    out: dict[str, list[float]] = {}
    for r in records:
        for st, v in (r.get("stages") or {}).items():
            acc = out.setdefault(st, [0.0, 0.0])
            acc[0] += float((v or {}).get("wall_s", 0) or 0)
            acc[1] += float((v or {}).get("cpu_s", 0) or 0)
    return {k: (v[0], v[1]) for k, v in out.items()}
