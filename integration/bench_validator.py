"""Benchmark (not a test): wall time per pair of the validator on the project's corpus.

Runs every pair of tests/validator/corpus/*.srctgt.ll and the hand-written
lazifications (tests/validator/lazify_cases.py, through validate_rewrite, i.e.
including opt-22 inlining) in one process, `--repeat` times, and prints
median and p95 per pair.  Target: median <= 50 ms for functions under 100
instructions (pairs, not counting process start-up).

    .venv/bin/python integration/bench_validator.py [--repeat 3] [--json]
    .venv/bin/python integration/bench_validator.py --baseline-tree DIR [--repeat 3]

With --baseline-tree, the same benchmark of another checkout (DIR/integration/bench_validator.py,
its own code) and of this one run as subprocesses, one round each in turn, so that load hits both
alike; it prints both and their ratios (this / baseline).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
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
    ap.add_argument("--baseline-tree", help="another lazycc checkout to compare with, side by side")
    args = ap.parse_args()
    if args.baseline_tree:
        return compare(pathlib.Path(args.baseline_tree).resolve(), args.repeat)
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


def compare(base: pathlib.Path, repeat: int) -> int:
    """Interleaved rounds of both checkouts' benchmark; medians of the rounds' medians."""
    runs: dict[str, list[dict]] = {"baseline": [], "this": []}
    for r in range(repeat):
        for label, tree in (("baseline", base), ("this", ROOT)):
            p = subprocess.run([sys.executable, str(tree / "integration" / "bench_validator.py"), "--json",
                                "--repeat", "1"], capture_output=True, text=True, cwd=tree, check=True)
            runs[label].append(json.loads(p.stdout))
            print(f"round {r + 1}/{repeat} {label}: pair median {runs[label][-1]['pair_median_ms']:.1f} ms, "
                  f"harness median {runs[label][-1]['harness_median_ms']:.1f} ms", file=sys.stderr)
    print(f"{'metric':<20} {'baseline':>10} {'this':>10} {'ratio':>7}")
    for key in ("pair_median_ms", "pair_p95_ms", "harness_median_ms", "harness_p95_ms"):
        a = statistics.median(x[key] for x in runs["baseline"])
        b = statistics.median(x[key] for x in runs["this"])
        print(f"{key:<20} {a:10.1f} {b:10.1f} {b / a:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
