#!/usr/bin/env python3
"""Benchmark lazification on the micro-programs in integration/micro/ (not a test).

For each program: a baseline `clang-22 -O2` build, then one build per policy
(all, heuristic, profile), each made by calling the engine's pieces directly
(find_candidates -> propose -> rewrite -> clang-22 -O2 of the rewritten IR).
The driver path is not used because, until the validator lands, the driver
rejects every rewrite; when `lazycc.validator.validate_rewrite` is no longer a
stub, its verdict is printed per build too (column `tv`).

Prints run time (best of --repeat runs) and .text size of the program's
object, both as ratios to the baseline, plus the number of rewritten sites.
The profile policy trains on a run with a tenth of the iterations.

    .venv/bin/python integration/bench_lazify.py [--repeat 3] [--programs rare_use,...]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from lazycc.candidates import find_candidates  # noqa: E402
from lazycc.ir import IRModule, llvm_tool, parse_and_verify  # noqa: E402
from lazycc.proposer import propose  # noqa: E402
from lazycc.rewriter import rewrite  # noqa: E402
from lazycc.rewriter.instrument import instrument  # noqa: E402

CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")
MICRO = os.path.join(ROOT, "integration", "micro")
POLICIES = ("all", "heuristic", "profile")
# default iteration counts (argv[1]) of the timed runs; training runs use a tenth
ITERS = {"rare_use": 200000, "always_used": 200000, "mostly_used": 1000000, "two_args": 100000}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def text_size(obj: str) -> int:
    out = sh([llvm_tool("llvm-size"), "-A", obj]).stdout
    total = 0
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0].startswith(".text"):
            total += int(parts[1])
    return total


def build(src: str, out: str, opt: str = "-O2") -> int:
    obj = out + ".o"
    sh([CLANG, opt, "-c", src, "-o", obj])
    sh([CLANG, obj, "-o", out])
    return text_size(obj)


def run(exe: str, args: list[str], repeat: int, env=None) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(repeat):
        t = time.perf_counter()
        p = sh([exe, *args], env=env)
        best = min(best, time.perf_counter() - t)
        out = p.stdout
    return best, out


def validator_verdict(result) -> str:
    try:
        from lazycc.validator import validate_rewrite
        rep = validate_rewrite(result)
    except Exception as e:  # noqa: BLE001 - report, do not crash the benchmark
        return f"error:{type(e).__name__}"
    if all(f.reason == "validator not available" for f in rep.functions):
        return "stub"
    return rep.verdict.value


def bench_program(name: str, tmp: str, repeat: int, stage: str | None = None) -> list[dict]:
    src = os.path.join(MICRO, name + ".c")
    iters = ITERS.get(name, 100000)
    args = [str(iters)]
    base_exe = os.path.join(tmp, name + ".base")
    base_size = build(src, base_exe)
    base_t, base_out = run(base_exe, args, repeat)
    ll = os.path.join(tmp, name + ".ll")
    sh([CLANG, "-O2", "-emit-llvm", "-S", "-Xclang", "-disable-llvm-passes", src, "-o", ll])
    module = IRModule(text=open(ll).read(), name=name, opt_level="2")
    cands = find_candidates(module, stage=stage)
    rows = [dict(program=name, policy="baseline", time=base_t, tratio=1.0, size=base_size, sratio=1.0,
                 sites=0, cands=len(cands.sites), safe=len(cands.safe_sites), ok=True, tv="-")]
    for policy in POLICIES:
        prof = None
        if policy == "profile":
            ins = instrument(cands)
            ipath = os.path.join(tmp, name + ".instr.ll")
            open(ipath, "w").write(ins.rewritten.text)
            iexe = os.path.join(tmp, name + ".instr")
            build(ipath, iexe)
            prof = os.path.join(tmp, name + ".lazyprof")
            if os.path.exists(prof):
                os.unlink(prof)
            env = dict(os.environ, LAZYCC_PROFILE_FILE=prof)
            sh([iexe, str(max(1, iters // 10))], env=env)
        proposal = propose(cands, policy, profile_path=prof)
        result = rewrite(cands, proposal)
        parse_and_verify(result.rewritten.text)
        path = os.path.join(tmp, f"{name}.{policy}.ll")
        open(path, "w").write(result.rewritten.text)
        exe = os.path.join(tmp, f"{name}.{policy}")
        size = build(path, exe)
        t, out = run(exe, args, repeat)
        rows.append(dict(program=name, policy=policy, time=t, tratio=t / base_t, size=size,
                         sratio=size / base_size, sites=len(result.changes.sites), cands=len(cands.sites),
                         safe=len(cands.safe_sites), ok=(out == base_out),
                         tv=validator_verdict(result) if result.changes.sites else "-"))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--programs", default="")
    ap.add_argument("--stage", default=None, help="raw | early | post-inline (default: the engine's default "
                    "for -O2)")
    args = ap.parse_args(argv)
    names = [p for p in args.programs.split(",") if p] or sorted(
        f[:-2] for f in os.listdir(MICRO) if f.endswith(".c"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="lazybench") as tmp:
        for n in names:
            rows.extend(bench_program(n, tmp, args.repeat, args.stage))
    print(f"{'program':<12} {'policy':<10} {'time_s':>8} {'speedup':>8} {'text':>7} {'size':>6} "
          f"{'sites':>5} {'cand/safe':>9} {'output':>6} {'tv':>6}")
    for r in rows:
        print(f"{r['program']:<12} {r['policy']:<10} {r['time']:8.4f} {1 / r['tratio']:7.2f}x "
              f"{r['size']:7d} {r['sratio'] - 1:+6.1%} {r['sites']:5d} {r['cands']:4d}/{r['safe']:<4d} "
              f"{'same' if r['ok'] else 'DIFF':>6} {r['tv']:>6}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
