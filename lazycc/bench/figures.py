"""The report's figures (matplotlib, Agg backend): each function returns a `Figure` holding PNG
bytes, or one with `png=None` and a `reason` saying why it is absent."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from lazycc.bench import stats  # noqa: E402
from lazycc.bench.results import (BenchDir, lazified_functions, retry_counts,  # noqa: E402
                                  structure_by_category)
from lazycc.bench.tables import paired  # noqa: E402
from lazycc.record import STRUCTURE_KEYS  # noqa: E402


@dataclass
class Figure:
    key: str
    title: str
    png: bytes | None
    reason: str = ""
    caption: str = ""


def _png(fig) -> bytes:
    buf = io.BytesIO()
    # a fixed Software/date-free metadata so the bytes depend on the data only
    fig.savefig(buf, format="png", dpi=90, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _others(bd: BenchDir) -> list[str]:
    return [c for c in bd.order if c != bd.baseline]


def _loglog(ax, lo: float, hi: float) -> None:
    """Log axes with the same limits on x and y and no crowded minor tick labels."""
    from matplotlib.ticker import NullFormatter
    ax.set_xscale("log")
    ax.set_yscale("log")
    pad = (hi / lo) ** 0.05 if lo > 0 else 1.0
    ax.set_xlim(lo / pad, hi * pad)
    ax.set_ylim(lo / pad, hi * pad)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())


def _grid(n: int, w: float = 5.0, h: float = 4.6):
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols, h * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def figure2(bd: BenchDir) -> Figure:
    """Per-benchmark runtime scatter: baseline (x) vs each configuration (y), with y = x."""
    base = bd.baseline
    title = "Figure 2: per-benchmark runtime vs " + str(base)
    others = _others(bd)
    data = {c: paired(bd, base, c, "exec_time") for c in others}
    if not others or not any(data.values()):
        return Figure("fig2", title, None, "no configuration with runtimes comparable to the baseline")
    fig, axes = _grid(len(others))
    for ax, cfg in zip(axes, others):
        p = data[cfg]
        x = np.array([v[1] for v in p])
        y = np.array([v[2] for v in p])
        if len(x):
            ax.scatter(x, y, s=14, alpha=0.7)
            lo, hi = min(x.min(), y.min()), max(x.max(), y.max())
            ax.plot([lo, hi], [lo, hi], "k--", lw=1, label="y = x")
            _loglog(ax, lo, hi)
            ax.legend(loc="upper left", fontsize=8)
        ax.set_xlabel(f"{base} exec_time (s)")
        ax.set_ylabel(f"{cfg} exec_time (s)")
        ax.set_title(f"{cfg} (n={len(x)})", fontsize=10)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return Figure("fig2", title, _png(fig), caption="Below the line: faster than the baseline.")


def figure3(bd: BenchDir) -> Figure:
    """Δ lazified functions (configuration minus baseline, from records) vs Δ runtime %."""
    base = bd.baseline
    title = "Figure 3: Δ lazified functions vs Δ runtime %"
    others = [c for c in _others(bd) if bd.configs[c].records]
    if not others:
        return Figure("fig3", title, None, "no records (LAZYCC_RECORD output) for any lazycc "
                      "configuration: lazified functions per benchmark are unknown")
    base_lf = lazified_functions(bd.configs[base].records) if base else {}
    fig, axes = _grid(len(others))
    for ax, cfg in zip(axes, others):
        lf = lazified_functions(bd.configs[cfg].records)
        xs, ys = [], []
        for name, a, b in paired(bd, base, cfg, "exec_time"):
            xs.append(lf.get(name, 0) - base_lf.get(name, 0))
            ys.append(stats.delta_pct(a, b))
        ax.scatter(xs, ys, s=14, alpha=0.7)
        ax.axhline(0, color="k", lw=0.8)
        from matplotlib.ticker import MaxNLocator
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(f"Δ lazified functions ({cfg} − {base})")
        ax.set_ylabel("Δ runtime % (negative: faster)")
        ax.set_title(f"{cfg} (n={len(xs)})", fontsize=10)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return Figure("fig3", title, _png(fig))


def structure_ratios(bd: BenchDir, cfg: str) -> tuple[list[str], np.ndarray]:
    """Categories and the matrix of after/before ratios (rows: categories, cols: STRUCTURE_KEYS)."""
    sc = structure_by_category([r for r in bd.configs[cfg].records
                                if r.get("_category") != "(cmake probes)"])
    cats = sorted(sc)
    m = np.full((len(cats), len(STRUCTURE_KEYS)), np.nan)
    for i, c in enumerate(cats):
        for j, k in enumerate(STRUCTURE_KEYS):
            before, after = sc[c][k]
            if before > 0:
                m[i, j] = after / before
    return cats, m


def figure4(bd: BenchDir) -> Figure:
    """Heatmap of structural ratios (after/before the rewrite, summed per category)."""
    title = "Figure 4: structural ratios after/before the rewrite, per suite category"
    others = [c for c in _others(bd) if any((r.get("structure") or {}).get("before")
                                            for r in bd.configs[c].records)]
    if not others:
        return Figure("fig4", title, None, "no records with IR structure counts")
    mats = {c: structure_ratios(bd, c) for c in others}
    nrows = max(len(v[0]) for v in mats.values())
    fig, axes = plt.subplots(1, len(others), figsize=(6.5 * len(others), 1.2 + 0.45 * nrows),
                             squeeze=False)
    for ax, cfg in zip(axes.flat, others):
        cats, m = mats[cfg]
        im = ax.imshow(m, aspect="auto", cmap="coolwarm", vmin=0.8, vmax=1.2)
        ax.set_xticks(range(len(STRUCTURE_KEYS)), STRUCTURE_KEYS, rotation=45, ha="right",
                      fontsize=8)
        ax.set_yticks(range(len(cats)), cats, fontsize=7)
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                if not np.isnan(m[i, j]):
                    ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", fontsize=6)
        ax.set_title(cfg, fontsize=10)
        fig.colorbar(im, ax=ax, fraction=0.04)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return Figure("fig4", title, _png(fig), caption="1.00: unchanged; colour scale clipped to "
                  "[0.8, 1.2].")


def figure5(bd: BenchDir) -> Figure:
    """Histogram of tries for functions whose first proposal failed."""
    title = "Figure 5: tries for functions whose first proposal failed"
    data = {c: retry_counts(bd.configs[c].records) for c in _others(bd)}
    data = {c: v for c, v in data.items() if v}
    if not data:
        have = any(bd.configs[c].records for c in _others(bd))
        return Figure("fig5", title, None, "no function's first proposal failed" if have
                      else "no records")
    fig, ax = plt.subplots(figsize=(6, 4))
    hi = max(max(v) for v in data.values())
    bins = np.arange(0.5, hi + 1.5, 1)
    ax.hist(list(data.values()), bins=bins, label=list(data), rwidth=0.85)
    ax.set_xlabel("tries (proposer/validator rounds)")
    ax.set_ylabel("functions")
    ax.set_xticks(range(1, hi + 1))
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return Figure("fig5", title, _png(fig))


def figure6(bd: BenchDir) -> Figure:
    """Log-log runtime scatter, fine-tuned `model` vs non-fine-tuned `model-base`."""
    title = "Figure 6: runtime, model (fine-tuned) vs model-base, log-log"
    missing = [c for c in ("model", "model-base") if c not in bd.configs]
    if missing:
        return Figure("fig6", title, None, "configuration(s) " + ", ".join(missing) +
                      " did not run (not available in this lazycc, or not selected)")
    p = paired(bd, "model-base", "model", "exec_time")
    if not p:
        return Figure("fig6", title, None, "no benchmark comparable under both model configurations")
    x = np.array([v[1] for v in p])
    y = np.array([v[2] for v in p])
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.scatter(x, y, s=14, alpha=0.7)
    lo, hi = min(x.min(), y.min()), max(x.max(), y.max())
    ax.plot([lo, hi], [lo, hi], "k--", lw=1)
    _loglog(ax, lo, hi)
    ax.set_xlabel("model-base exec_time (s)")
    ax.set_ylabel("model exec_time (s)")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return Figure("fig6", title, _png(fig))


ALL = (figure2, figure3, figure4, figure5, figure6)
