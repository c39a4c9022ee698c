"""The report's tables, as data (`Table`) rendered to Markdown or HTML.

Which benchmarks enter a comparison (`paired`): those that PASSed in every run of both
configurations and have the metric.  For runtime, a benchmark whose mean `exec_time` is below
`stats.MIN_TIMEABLE_S` under either configuration is left out and listed in the "short runs"
table instead — never averaged in silently.
"""

from __future__ import annotations

import html
import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from lazycc.bench import stats
from lazycc.bench.results import (BenchDir, fallbacks, lazified_functions, stage_times)

SEED = 20261207  # bootstrap/permutation seed: reports are reproducible byte for byte


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""

    def markdown(self) -> str:
        out = [f"### {self.title}", ""]
        if self.note:
            out += [self.note, ""]
        if self.rows:
            out.append("| " + " | ".join(self.headers) + " |")
            out.append("|" + "|".join("---" for _ in self.headers) + "|")
            for r in self.rows:
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        else:
            out.append("(none)")
        return "\n".join(out) + "\n"

    def html(self) -> str:
        out = [f"<h3>{html.escape(self.title)}</h3>"]
        if self.note:
            out.append(f"<p>{html.escape(self.note)}</p>")
        if self.rows:
            out.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
                       + "</tr>")
            for r in self.rows:
                out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>")
            out.append("</table>")
        else:
            out.append("<p>(none)</p>")
        return "\n".join(out)


def fmt(x: float, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return f"{x:.{digits}g}"


def pct(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:+.2f}%"


# --- selection ------------------------------------------------------------------------------------

def short_runs(bd: BenchDir) -> dict[str, list[str]]:
    """Config -> benchmarks whose mean exec_time is below MIN_TIMEABLE_S (PASSing ones)."""
    out = {}
    for cfg in bd.order:
        cr = bd.configs[cfg]
        out[cfg] = sorted(b.name for b in cr.benches.values()
                          if b.passed and b.exec_times and b.exec_time < stats.MIN_TIMEABLE_S)
    return out


def paired(bd: BenchDir, a: str, b: str, metric: str) -> list[tuple[str, float, float]]:
    """(benchmark, value under a, value under b) for the comparable benchmarks (module doc)."""
    ca, cb = bd.configs[a], bd.configs[b]
    out = []
    for name in sorted(set(ca.benches) & set(cb.benches)):
        ba, bb = ca.benches[name], cb.benches[name]
        if not (ba.passed and bb.passed):
            continue
        if metric == "exec_time":
            va, vb = ba.exec_time, bb.exec_time
            if math.isnan(va) or math.isnan(vb):
                continue
            if va < stats.MIN_TIMEABLE_S or vb < stats.MIN_TIMEABLE_S:
                continue
        else:
            va, vb = ba.size, bb.size
            if math.isnan(va) or math.isnan(vb):
                continue
        out.append((name, va, vb))
    return out


def changed(bd: BenchDir, a: str, b: str) -> set[str]:
    """Benchmarks whose binary hash differs between a and b (both hashes known)."""
    ca, cb = bd.configs[a], bd.configs[b]
    return {n for n in set(ca.benches) & set(cb.benches)
            if ca.benches[n].hash and cb.benches[n].hash and ca.benches[n].hash != cb.benches[n].hash}


# --- correctness ------------------------------------------------------------------------------------

def correctness(bd: BenchDir) -> Table:
    """Per configuration: test failures (lit FAIL: wrong output or crash), build failures (NOEXE,
    or a benchmark the baseline has and this configuration does not), other non-PASS codes, and
    fallbacks from records — each by name."""
    t = Table("Correctness", ["configuration", "tests", "PASS", "test failures (FAIL)",
                              "build failures (NOEXE / missing)", "other", "fallbacks (records)",
                              "build"])
    every = set(bd.all_benches())
    for cfg in bd.order:
        cr = bd.configs[cfg]
        fail = sorted(n for n, b in cr.benches.items() if b.code == "FAIL")
        noexe = sorted(n for n, b in cr.benches.items() if b.code == "NOEXE")
        missing = sorted(every - set(cr.benches))
        other = sorted(f"{n} ({b.code})" for n, b in cr.benches.items()
                       if b.code not in ("PASS", "FAIL", "NOEXE"))
        npass = sum(1 for b in cr.benches.values() if b.passed)
        if cr.records:
            fbs = fallbacks(cr.records)
            fb = (f"{len(fbs)}: " + ", ".join(f"{s} ({r})" for s, r in fbs)) if fbs else "0"
        else:
            fb = "-" if cfg == bd.baseline else "no records"
        build = cr.build
        bs = "n/a" if not build else ("ok" if build.get("ok") else
                                      "FAILED " + ", ".join(build.get("failed_targets") or []))
        t.rows.append([cfg, str(len(cr.benches)), str(npass),
                       _names(fail), _names(noexe + [f"{m} (missing)" for m in missing]),
                       _names(other), fb, bs])
    return t


def _names(xs: list[str]) -> str:
    return f"{len(xs)}: " + ", ".join(xs) if xs else "0"


# --- Table 2 / Table 3 ------------------------------------------------------------------------------

def pairs(bd: BenchDir) -> list[tuple[str, str]]:
    return list(itertools.combinations(bd.order, 2))


def table2(bd: BenchDir) -> Table:
    """Runtime (lit exec_time, s) and binary size (lit `size`, bytes) for every pair (A, B):
    means and medians of each, Δ% of B against A, % of benchmarks where B is smaller."""
    t = Table("Table 2: runtime and binary size, every pair of configurations",
              ["A", "B", "metric", "n", "mean A", "mean B", "Δ mean %", "median A", "median B",
               "Δ median %", "% improved (B < A)"],
              note="Runtime: lit exec_time in seconds, PASS in every run under both, runs < 10 ms "
                   "excluded (listed under short runs). Size: lit `size` in bytes.")
    for a, b in pairs(bd):
        for metric, label in (("exec_time", "runtime (s)"), ("size", "size (B)")):
            p = paired(bd, a, b, metric)
            va = [x[1] for x in p]
            vb = [x[2] for x in p]
            ma, mb = stats.mean(va), stats.mean(vb)
            da, db = stats.median(va), stats.median(vb)
            t.rows.append([a, b, label, str(len(p)), fmt(ma), fmt(mb), pct(stats.delta_pct(ma, mb)),
                           fmt(da), fmt(db), pct(stats.delta_pct(da, db)),
                           fmt(stats.pct_improved(va, vb), 3) + "%" if p else "n/a"])
    return t


def table3(bd: BenchDir) -> Table:
    """Each configuration's mean and median runtime and mean size normalised to the baseline's
    (×100), over the benchmarks comparable with the baseline."""
    base = bd.baseline
    t = Table(f"Table 3: normalised to {base} (= 100)",
              ["configuration", "n (runtime)", "mean runtime", "median runtime", "n (size)",
               "mean size", "median size"])
    for cfg in bd.order:
        rp = paired(bd, base, cfg, "exec_time")
        sp = paired(bd, base, cfg, "size")

        def norm(p, f):
            if not p:
                return "n/a"
            return fmt(f([x[2] for x in p]) / f([x[1] for x in p]) * 100, 4)

        t.rows.append([cfg, str(len(rp)), norm(rp, stats.mean), norm(rp, stats.median),
                       str(len(sp)), norm(sp, stats.mean), norm(sp, stats.median)])
    return t


# --- speed-ups, CIs, significance -----------------------------------------------------------------

def speedup_table(bd: BenchDir) -> Table:
    """Geomean speed-up (baseline time / configuration time, > 1 = faster) overall and over
    changed programs only (binary hash differs from the baseline's), with bootstrap 95% CIs
    (resampling benchmarks), plus the median speed-up with its CI and the worst program."""
    base = bd.baseline
    t = Table(f"Speed-up over {base} (geomean of {base}/config, > 1 is faster)",
              ["configuration", "n", "geomean", "95% CI", "changed n", "geomean (changed)",
               "95% CI (changed)", "median", "median 95% CI", "worst program"],
              note="CIs: percentile bootstrap over benchmarks, 2000 resamples, seed "
                   f"{SEED}. 'changed': lit `hash` (md5 of the stripped binary) differs from "
                   f"{base}'s.")
    for cfg in bd.order:
        if cfg == base:
            continue
        p = paired(bd, base, cfg, "exec_time")
        ch = changed(bd, base, cfg)
        s = stats.speedups([x[1] for x in p], [x[2] for x in p])
        pc = [x for x in p if x[0] in ch]
        sc = stats.speedups([x[1] for x in pc], [x[2] for x in pc])
        g = stats.geomean(s) if len(s) else math.nan
        gc = stats.geomean(sc) if len(sc) else math.nan
        ci = stats.geomean_ci(s, seed=SEED)
        cic = stats.geomean_ci(sc, seed=SEED)
        med = stats.median(s)
        mci = stats.bootstrap_ci(s, seed=SEED)
        worst = "n/a"
        if len(s):
            i = int(np.argmin(s))
            worst = f"{p[i][0]} ({fmt(float(s[i]), 4)}×)"
        t.rows.append([cfg, str(len(s)), fmt(g), _ci(ci), str(len(sc)), fmt(gc), _ci(cic),
                       fmt(med), _ci(mci), worst])
    return t


def _ci(ci: tuple[float, float]) -> str:
    return "n/a" if math.isnan(ci[0]) else f"[{fmt(ci[0])}, {fmt(ci[1])}]"


def medians_table(bd: BenchDir) -> Table:
    """Median runtime per configuration with a bootstrap 95% CI (over its PASSing, timeable
    benchmarks)."""
    t = Table("Median runtime with bootstrap 95% CI",
              ["configuration", "n", "median exec_time (s)", "95% CI"])
    for cfg in bd.order:
        xs = [b.exec_time for b in bd.configs[cfg].benches.values()
              if b.passed and b.exec_times and b.exec_time >= stats.MIN_TIMEABLE_S]
        t.rows.append([cfg, str(len(xs)), fmt(stats.median(xs)),
                       _ci(stats.bootstrap_ci(xs, seed=SEED))])
    return t


def significance_table(bd: BenchDir, alpha: float = 0.05) -> Table:
    """Per benchmark, a two-sided permutation test (difference of mean exec_time across runs,
    exact when the runs allow) of each configuration against the baseline."""
    base = bd.baseline
    t = Table(f"Per-benchmark significance against {base} (permutation test, α = {alpha})",
              ["configuration", "benchmark", f"{base} runs", "config runs", "Δ mean %", "p",
               "significant"],
              note="Two-sided permutation test on the difference of mean exec_time over the runs "
                   "(exact enumeration of all splits when ≤ 10000, else 10000 seeded shuffles). "
                   "With n runs per side the smallest attainable p is 2/C(2n, n): 0.1 at n = 3, "
                   "0.029 at n = 4, so at least 4 runs per side are needed for p < 0.05.")
    for cfg in bd.order:
        if cfg == base:
            continue
        for name, _, _ in paired(bd, base, cfg, "exec_time"):
            xa = bd.configs[base].benches[name].exec_times
            xb = bd.configs[cfg].benches[name].exec_times
            if len(xa) < 2 or len(xb) < 2:
                continue
            p = stats.permutation_test(xa, xb, seed=SEED)
            d = stats.delta_pct(stats.mean(xa), stats.mean(xb))
            t.rows.append([cfg, name, str(len(xa)), str(len(xb)), pct(d), fmt(p, 3),
                           "yes" if p < alpha else "no"])
    if not t.rows:
        t.note += " No benchmark has at least 2 runs under both configurations."
    return t


def short_runs_table(bd: BenchDir) -> Table:
    t = Table(f"Short runs (< {stats.MIN_TIMEABLE_S * 1000:g} ms): flagged, excluded from runtime "
              "statistics", ["configuration", "benchmarks"])
    for cfg, names in short_runs(bd).items():
        if names:
            t.rows.append([cfg, _names(names)])
    return t


# --- overheads ------------------------------------------------------------------------------------------

def compile_table(bd: BenchDir) -> Table:
    """Build wall time per configuration (whole ninja build, as measured by the harness), lit's
    summed compile_time (CPU of the compiler client only) and the records' per-stage totals."""
    base = bd.baseline
    t = Table("Compile-time overhead",
              ["configuration", "build wall (s)", f"ratio to {base}", "Σ lit compile_time (s)",
               f"ratio to {base}", "projects build wall (s)", "records",
               "record stages: wall s / CPU s"])
    bw = (bd.configs[base].build or {}).get("wall_s") if base else None
    bct = _sum_compile(bd, base) if base else math.nan
    for cfg in bd.order:
        cr = bd.configs[cfg]
        w = (cr.build or {}).get("wall_s")
        ct = _sum_compile(bd, cfg)
        st = stage_times(cr.records)
        stxt = ", ".join(f"{k} {v[0]:.2f}/{v[1]:.2f}" for k, v in sorted(st.items())) \
            if st else ("-" if cfg == base else "no records")
        t.rows.append([cfg, fmt(w) if w is not None else "n/a",
                       fmt(w / bw) if w and bw else "n/a", fmt(ct),
                       fmt(ct / bct) if bct and not math.isnan(bct) and not math.isnan(ct) else "n/a",
                       _projects_wall(bd, cfg), str(len(cr.records)), stxt])
    return t


def _projects_wall(bd: BenchDir, cfg: str) -> str:
    pb = (bd.state.get("project_builds") or {}).get(cfg) or {}
    if not pb:
        return "n/a"
    return ", ".join(f"{p} {v.get('wall_s', 0):.1f}{'' if v.get('ok') else ' FAILED'}"
                     for p, v in sorted(pb.items()))


def _sum_compile(bd: BenchDir, cfg: str) -> float:
    xs = [b.metrics.get("compile_time") for b in bd.configs[cfg].benches.values()]
    xs = [float(x) for x in xs if x is not None]
    return sum(xs) if xs else math.nan


def size_table(bd: BenchDir) -> Table:
    base = bd.baseline
    t = Table(f"Size overhead against {base}",
              ["configuration", "n", f"Σ size {base} (B)", "Σ size (B)", "Δ total %",
               "geomean size ratio"])
    for cfg in bd.order:
        if cfg == base:
            continue
        p = paired(bd, base, cfg, "size")
        sa = sum(x[1] for x in p)
        sb = sum(x[2] for x in p)
        g = stats.geomean([x[2] / x[1] for x in p if x[1] > 0]) if p else math.nan
        t.rows.append([cfg, str(len(p)), fmt(sa, 10), fmt(sb, 10), pct(stats.delta_pct(sa, sb)),
                       fmt(g)])
    return t


def lazified_table(bd: BenchDir) -> Table:
    t = Table("Lazified functions (records)", ["configuration", "records", "benchmarks with a "
              "lazified function", "lazified functions"])
    for cfg in bd.order:
        cr = bd.configs[cfg]
        if cfg == bd.baseline and not cr.records:
            continue
        if not cr.records:
            t.rows.append([cfg, "0", "no records", "no records"])
            continue
        lf = lazified_functions(cr.records)
        t.rows.append([cfg, str(len(cr.records)), str(sum(1 for v in lf.values() if v)),
                       str(sum(lf.values()))])
    return t


def headline(bd: BenchDir) -> Table:
    """One row per configuration: the numbers a reader wants first."""
    base = bd.baseline
    t = Table(f"Headline (against {base})",
              ["configuration", "PASS / tests", "failures (FAIL, NOEXE, missing)",
               "changed programs", "geomean speed-up, changed [95% CI]",
               "geomean speed-up, all [95% CI]", "worst program", "build wall ratio"])
    every = set(bd.all_benches())
    def wall(cfg: str) -> float | None:
        """Suite build wall time, else the summed project build wall times."""
        w = (bd.configs[cfg].build or {}).get("wall_s")
        if w is None:
            pb = (bd.state.get("project_builds") or {}).get(cfg) or {}
            w = sum(v.get("wall_s", 0) for v in pb.values()) if pb else None
        return w

    bw = wall(base) if base else None
    for cfg in bd.order:
        cr = bd.configs[cfg]
        npass = sum(1 for b in cr.benches.values() if b.passed)
        nbad = sum(1 for b in cr.benches.values() if b.code in ("FAIL", "NOEXE")) + \
            len(every - set(cr.benches))
        if cfg == base:
            t.rows.append([cfg, f"{npass} / {len(cr.benches)}", str(nbad), "-", "-", "-", "-", "1"])
            continue
        p = paired(bd, base, cfg, "exec_time")
        ch = changed(bd, base, cfg)
        s_all = stats.speedups([x[1] for x in p], [x[2] for x in p])
        pc = [x for x in p if x[0] in ch]
        s_ch = stats.speedups([x[1] for x in pc], [x[2] for x in pc])
        g_all = f"{fmt(stats.geomean(s_all))} {_ci(stats.geomean_ci(s_all, seed=SEED))}" \
            if len(s_all) else "n/a"
        g_ch = f"{fmt(stats.geomean(s_ch))} {_ci(stats.geomean_ci(s_ch, seed=SEED))}" \
            if len(s_ch) else "n/a"
        worst = "n/a"
        if len(s_all):
            i = int(np.argmin(s_all))
            worst = f"{p[i][0]} ({fmt(float(s_all[i]))}×)"
        w = wall(cfg)
        t.rows.append([cfg, f"{npass} / {len(cr.benches)}", str(nbad), str(len(ch)), g_ch, g_all,
                       worst, fmt(w / bw) if w and bw else "n/a"])
    return t
