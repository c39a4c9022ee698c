"""Benchmark (not a test): wall time per pair of the validator on the project's corpus.

Runs every pair of tests/validator/corpus/*.srctgt.ll and the hand-written
lazifications (tests/validator/lazify_cases.py, through validate_rewrite, i.e.
including opt-22 inlining) in one process, `--repeat` times, and prints
median and p95 per pair.  Target: median <= 50 ms for functions under 100
instructions (pairs, not counting process start-up).

    .venv/bin/python integration/bench_validator.py [--repeat 3] [--json]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lazycc.validator import Bounds, validate_rewrite  # noqa: E402
from lazycc.validator.tv import check_texts  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    b = Bounds()
    pair_times: list[float] = []
    harness_times: list[float] = []
    for _ in range(args.repeat):
        for f in sorted((ROOT / "tests/validator/corpus").glob("*.srctgt.ll")):
            for r in check_texts(f.read_text(), None, b):
                pair_times.append(r.time_s)
        from tests.validator.test_harness import CORRECT, WRONG, make
        for kw in list(CORRECT.values()) + list(WRONG.values()):
            t0 = time.perf_counter()
            validate_rewrite(make(**kw), b)
            harness_times.append(time.perf_counter() - t0)
    out = {
        "pairs": len(pair_times), "pair_median_ms": 1e3 * statistics.median(pair_times),
        "pair_p95_ms": 1e3 * pct(pair_times, 95),
        "harness": len(harness_times), "harness_median_ms": 1e3 * statistics.median(harness_times),
        "harness_p95_ms": 1e3 * pct(harness_times, 95),
    }
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        print(f"refinement check per pair ({out['pairs']} runs): median {out['pair_median_ms']:.1f} ms, "
              f"p95 {out['pair_p95_ms']:.1f} ms")
        print(f"validate_rewrite per lazification incl. opt inlining ({out['harness']} runs): "
              f"median {out['harness_median_ms']:.1f} ms, p95 {out['harness_p95_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
