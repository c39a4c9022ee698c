"""Statistics for benchmark reports: pure functions over sequences of floats (numpy only).

Every function is deterministic: the resampling ones take an explicit `seed`.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

#: Runs shorter than this (seconds) are too short to time reliably: flagged in the report and
#: left out of runtime means/medians/geomeans (never averaged in silently).
MIN_TIMEABLE_S = 0.010


def mean(xs: Sequence[float]) -> float:
    return float(np.mean(np.asarray(xs, dtype=float))) if len(xs) else math.nan


def median(xs: Sequence[float]) -> float:
    return float(np.median(np.asarray(xs, dtype=float))) if len(xs) else math.nan


def geomean(xs: Sequence[float]) -> float:
    """Geometric mean of positive values (nan for an empty input; ValueError on a value <= 0)."""
    a = np.asarray(xs, dtype=float)
    if a.size == 0:
        return math.nan
    if np.any(a <= 0):
        raise ValueError("geomean of non-positive values")
    return float(np.exp(np.mean(np.log(a))))


def delta_pct(base: float, new: float) -> float:
    """Relative change of `new` against `base`, in percent (negative: `new` is smaller)."""
    if base == 0 or math.isnan(base) or math.isnan(new):
        return math.nan
    return (new - base) / base * 100.0


def speedups(base: Sequence[float], new: Sequence[float]) -> np.ndarray:
    """Per-benchmark speed-up base/new (> 1: `new` is faster)."""
    return np.asarray(base, dtype=float) / np.asarray(new, dtype=float)


def pct_improved(base: Sequence[float], new: Sequence[float]) -> float:
    """Percentage of benchmarks where `new` is strictly smaller than `base`."""
    b = np.asarray(base, dtype=float)
    n = np.asarray(new, dtype=float)
    if b.size == 0:
        return math.nan
    return float(np.mean(n < b) * 100.0)


def bootstrap_ci(xs: Sequence[float], stat=np.median, n_resamples: int = 2000,
                 alpha: float = 0.05, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap (1 - alpha) confidence interval of `stat` over `xs`.

    Resamples with replacement `n_resamples` times with numpy's PCG64 seeded by `seed`, so the
    interval is reproducible.  Returns (lo, hi); (nan, nan) for an empty input and (x, x) for a
    single value.
    """
    a = np.asarray(xs, dtype=float)
    if a.size == 0:
        return (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, a.size, size=(n_resamples, a.size))
    vals = np.apply_along_axis(stat, 1, a[idx])
    lo, hi = np.quantile(vals, [alpha / 2, 1 - alpha / 2])
    return (float(lo), float(hi))


def geomean_ci(ratios: Sequence[float], n_resamples: int = 2000, alpha: float = 0.05,
               seed: int = 0) -> tuple[float, float]:
    """Bootstrap CI of the geometric mean of positive ratios (resampling benchmarks)."""
    a = np.asarray(ratios, dtype=float)
    if a.size == 0:
        return (math.nan, math.nan)
    lo, hi = bootstrap_ci(np.log(a), stat=np.mean, n_resamples=n_resamples, alpha=alpha, seed=seed)
    return (math.exp(lo), math.exp(hi))


def permutation_test(a: Sequence[float], b: Sequence[float], n_permutations: int = 10000,
                     seed: int = 0) -> float:
    """Two-sided permutation test on the difference of means of two samples; returns the p-value.

    Exact (every split enumerated) when the number of distinct splits is at most `n_permutations`,
    otherwise Monte Carlo with a seeded generator.  The p-value counts the observed split itself,
    so it is never 0; with 3 runs per side the smallest possible p is 2/20 = 0.1 — too few runs
    can never be significant at 0.05, and the report says so rather than pretending.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.size == 0 or y.size == 0:
        return math.nan
    pooled = np.concatenate([x, y])
    n, m = x.size, pooled.size
    observed = abs(x.mean() - y.mean())
    eps = 1e-12 * max(1.0, abs(observed))
    total = math.comb(m, n)
    if total <= n_permutations:
        from itertools import combinations
        count = 0
        s = pooled.sum()
        for idx in combinations(range(m), n):
            sx = pooled[list(idx)].sum()
            d = abs(sx / n - (s - sx) / (m - n))
            if d >= observed - eps:
                count += 1
        return count / total
    rng = np.random.default_rng(seed)
    count = 0
    for _ in range(n_permutations):
        p = rng.permutation(pooled)
        if abs(p[:n].mean() - p[n:].mean()) >= observed - eps:
            count += 1
    return (count + 1) / (n_permutations + 1)


def mann_whitney_u(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """Mann-Whitney U statistic of `a` (ties get mid-ranks) and a two-sided p-value from the
    normal approximation with tie correction (no continuity correction).

    For tiny samples (fewer than ~8 per side) prefer `permutation_test`, which is exact.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    n1, n2 = x.size, y.size
    if n1 == 0 or n2 == 0:
        return (math.nan, math.nan)
    pooled = np.concatenate([x, y])
    ranks = _rankdata(pooled)
    u1 = ranks[:n1].sum() - n1 * (n1 + 1) / 2.0
    mu = n1 * n2 / 2.0
    _, counts = np.unique(pooled, return_counts=True)
    n = n1 + n2
    tie = (counts ** 3 - counts).sum() / (n * (n - 1)) if n > 1 else 0.0
    sigma = math.sqrt(n1 * n2 / 12.0 * ((n + 1) - tie))
    if sigma == 0:
        return (float(u1), 1.0)
    z = (u1 - mu) / sigma
    p = math.erfc(abs(z) / math.sqrt(2))
    return (float(u1), float(p))


def _rankdata(a: np.ndarray) -> np.ndarray:
    """Ranks 1..n with ties given the average rank (like scipy.stats.rankdata)."""
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(a.size, dtype=float)
    sa = a[order]
    i = 0
    while i < a.size:
        j = i
        while j + 1 < a.size and sa[j + 1] == sa[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    return ranks
