#!/usr/bin/env python3
"""Benchmark: wall time of building zlib (Debian source) with plain clang vs lazycc.

Not a test: it prints a table, and exits non-zero only if a build fails.

Configurations (each its own copy of the tree, configured once):
  plain        CC=clang-22
  cold         CC=lazycc, empty LAZYCC_DIR before every timed build
  warm         CC=lazycc, the same LAZYCC_DIR kept (primed by an untimed build)
  cold-none    CC=lazycc LAZYCC_POLICY=none, empty LAZYCC_DIR every time
               (driver overhead alone: emit IR + lower, no rewrite pipeline)
  cold-base    with --baseline-tree DIR: `cold` with another checkout's lazycc package
               (a snapshot of DIR/lazycc), to compare two versions side by side
What is timed: `make clean` (untimed), then `make -jN` (timed). Rounds
interleave the configurations so that load from other users of the machine
hits all of them alike; the median of the rounds is reported.

Usage:
  integration/fetch_corpus.sh                # once
  python integration/bench_driver.py [--jobs 1] [--repeat 3] [--corpus DIR] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"warm": 1.10, "cold-none": 1.5}  # ratio vs plain clang that we aim for


def find_corpus(name: str, explicit: str | None) -> Path:
    cands = []
    if explicit:
        cands.append(Path(explicit))
    if os.environ.get("LAZYCC_CORPUS_DIR"):
        base = Path(os.environ["LAZYCC_CORPUS_DIR"])
        cands += [base / name, *sorted(base.glob(f"{name}-*"))]
    cands.append(REPO / "integration" / "corpus" / name)
    for c in cands:
        if (c / "configure").exists():
            return c.resolve()
    sys.exit(f"bench_driver: {name} sources not found in {[str(c) for c in cands]}; "
             f"run integration/fetch_corpus.sh")


def run(cmd: list[str], cwd: Path, env: dict) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dt = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"bench_driver: {' '.join(cmd)} failed in {cwd}:\n{proc.stdout[-4000:]}")
    return dt


def lazycc_exe() -> str:
    exe = Path(sys.executable).with_name("lazycc")
    return str(exe) if exe.exists() else (shutil.which("lazycc") or sys.exit("lazycc not found"))


def stats(env: dict) -> dict:
    out = subprocess.run([lazycc_exe(), "--show-stats", "--json"], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="zlib source tree (default: integration/corpus/zlib)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="make -jN (default 1: the machine has 2 shared cores; -j1 is the stable number)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--clang", default=os.environ.get("LAZYCC_CLANG", "clang-22"))
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="run the live lazycc package instead of a copy taken at start (an editable "
                         "install changes under a long benchmark when others commit; the warm cache "
                         "would then miss)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--baseline-tree", help="another lazycc checkout: adds the cold-base configuration")
    args = ap.parse_args()

    src = find_corpus("zlib", args.corpus)
    work = Path(tempfile.mkdtemp(prefix="lazycc-bench-"))
    lazycc = lazycc_exe()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("LAZYCC_")}
    base_env["PATH"] = os.path.dirname(lazycc) + os.pathsep + base_env.get("PATH", "")
    if os.environ.get("LAZYCC_CLANG"):
        base_env["LAZYCC_CLANG"] = os.environ["LAZYCC_CLANG"]
    if not args.no_snapshot:
        import lazycc as pkg

        snap = work / "snapshot"
        shutil.copytree(Path(pkg.__file__).parent, snap / "lazycc",
                        ignore=shutil.ignore_patterns("__pycache__"))
        base_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snap), base_env.get("PYTHONPATH")]))
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "lazycc"], cwd=REPO, capture_output=True,
                               text=True).stdout.strip()
        print(f"bench_driver: lazycc snapshot of {rev}{' + local changes' if dirty else ''}", file=sys.stderr)

    setups = [("plain", args.clang, {}), ("cold", lazycc, {}), ("warm", lazycc, {}),
              ("cold-none", lazycc, {"LAZYCC_POLICY": "none"})]
    if args.baseline_tree:
        base_snap = work / "snapshot-base"
        shutil.copytree(Path(args.baseline_tree) / "lazycc", base_snap / "lazycc",
                        ignore=shutil.ignore_patterns("__pycache__"))
        setups.append(("cold-base", lazycc, {"PYTHONPATH": str(base_snap)}))
    configs: dict[str, dict] = {}
    for name, cc, extra in setups:
        tree = work / name
        shutil.copytree(src, tree, symlinks=True)
        env = dict(base_env, CC=cc, **extra)
        if cc == lazycc:
            env["LAZYCC_DIR"] = str(work / f"cache-{name}")
        run(["./configure"], tree, env)
        configs[name] = {"tree": tree, "env": env, "times": []}
    make = ["make", f"-j{args.jobs}"]
    # Prime the warm cache (untimed).
    w = configs["warm"]
    run(["make", "clean"], w["tree"], w["env"])
    run(make, w["tree"], w["env"])

    for r in range(args.repeat):
        for name, c in configs.items():
            run(["make", "clean"], c["tree"], c["env"])
            if name in ("cold", "cold-none", "cold-base"):
                shutil.rmtree(c["env"]["LAZYCC_DIR"], ignore_errors=True)
            before = stats(c["env"]) if "LAZYCC_DIR" in c["env"] else None
            dt = run(make, c["tree"], c["env"])
            c["times"].append(dt)
            if before is not None:
                after = stats(c["env"])
                c["last_stats"] = {k: after[k] - before[k] for k in
                                   ("compilations", "cache_hits", "cache_misses", "object_hits", "fallbacks",
                                    "time_total_s", "time_emit_s", "time_lower_s", "time_candidates_s",
                                    "time_propose_s", "time_rewrite_s", "time_validate_s")}
            print(f"round {r + 1}/{args.repeat}  {name:<10} {dt:7.2f}s", file=sys.stderr, flush=True)

    plain = statistics.median(configs["plain"]["times"])
    clang_version = subprocess.run([args.clang, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"\nzlib ({src.name}), make -j{args.jobs}, median of {args.repeat}; {clang_version}; "
          f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'configuration':<12} {'median s':>9} {'min s':>7} {'max s':>7} {'vs plain':>9} {'target':>7}"
          f" {'compiles':>9} {'hits':>5} {'misses':>7}")
    results = {}
    for name, c in configs.items():
        med = statistics.median(c["times"])
        ratio = med / plain
        st = c.get("last_stats", {})
        target = TARGETS.get(name)
        mark = "" if target is None else (f"<={target:.2f}" + (" ok" if ratio <= target else " MISS"))
        print(f"{name:<12} {med:9.2f} {min(c['times']):7.2f} {max(c['times']):7.2f} {ratio:8.2f}x {mark:>7}"
              f" {st.get('compilations', ''):>9} {st.get('cache_hits', ''):>5} {st.get('cache_misses', ''):>7}")
        results[name] = {"times": c["times"], "median": med, "ratio": ratio, "stats": st}
    if "cold-base" in results:
        print(f"\ncold vs cold-base (this checkout / {args.baseline_tree}): "
              f"{results['cold']['median'] / results['cold-base']['median']:.3f}x")
    cold = results["cold"]["stats"]
    if cold:
        n = max(cold["compilations"], 1)
        print(f"\nlazycc cold, per compile: total {1000 * cold['time_total_s'] / n:.0f} ms = emit "
              f"{1000 * cold['time_emit_s'] / n:.0f} + lower {1000 * cold['time_lower_s'] / n:.0f} + pipeline "
              f"{1000 * sum(cold[k] for k in ('time_candidates_s', 'time_propose_s', 'time_rewrite_s', 'time_validate_s')) / n:.0f}"
              f" ms (+ interpreter start-up and imports outside time_total_s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"jobs": args.jobs, "repeat": args.repeat, "clang": clang_version,
                                               "results": results}, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"work directory kept: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
