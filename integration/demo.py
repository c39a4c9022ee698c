"""`make demo`: build a C program with clang-22 and with lazycc, show what was
rewritten and verified, and time both binaries side by side in one run."""
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

HERE = Path(__file__).resolve().parent


def run_timed(exe: Path, args: list[str], repeats: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeats):
        t = time.perf_counter()
        out = subprocess.run([str(exe), *args], capture_output=True, text=True, check=True).stdout
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("source", nargs="?", default=str(HERE.parent / "examples" / "demo" / "demo.c"))
    ap.add_argument("--opt", default="-O2")
    ap.add_argument("--policy", default=os.environ.get("LAZYCC_POLICY", "heuristic"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--args", nargs="*", default=[])
    ns = ap.parse_args()

    lazycc = shutil.which("lazycc", path=str(Path(sys.executable).parent)) or "lazycc"
    clang = os.environ.get("LAZYCC_CLANG", "clang-22")
    work = Path(tempfile.mkdtemp(prefix="lazycc-demo-"))
    env = dict(os.environ, LAZYCC_DIR=str(work / "cache"), LAZYCC_LOG=str(work / "lazycc.log"),
               LAZYCC_POLICY=ns.policy)
    src = Path(ns.source).resolve()
    print(f"== building {src.name} with {clang} {ns.opt} and with lazycc {ns.opt} (policy {ns.policy})")
    subprocess.run([clang, ns.opt, str(src), "-o", str(work / "plain")], check=True)
    t = time.perf_counter()
    subprocess.run([lazycc, ns.opt, "-c", str(src), "-o", str(work / "lazy.o")], check=True, env=env)
    cold = time.perf_counter() - t
    subprocess.run([lazycc, ns.opt, str(work / "lazy.o"), "-o", str(work / "lazy")], check=True, env=env)
    t = time.perf_counter()
    subprocess.run([lazycc, ns.opt, "-c", str(src), "-o", str(work / "lazy2.o")], check=True, env=env)
    warm = time.perf_counter() - t

    print("\n== what lazycc did (LAZYCC_LOG)")
    print((work / "lazycc.log").read_text().strip())
    stats = json.loads(subprocess.run([lazycc, "--show-stats", "--json"], env=env, capture_output=True,
                                      text=True, check=True).stdout)
    print(f"\n== stats: rewrites accepted {int(stats['rewrites_accepted'])}, rejected "
          f"{int(stats['rewrites_rejected'])}, modules rewritten {int(stats['modules_rewritten'])}, "
          f"fallbacks {int(stats['fallbacks'])}, validator {stats['time_validate_s']:.3f}s, "
          f"compile cold {cold:.2f}s / warm {warm:.2f}s")

    t_plain, out_plain = run_timed(work / "plain", ns.args, ns.repeats)
    t_lazy, out_lazy = run_timed(work / "lazy", ns.args, ns.repeats)
    same = out_plain == out_lazy
    print(f"\n== run (median of {ns.repeats})")
    print(f"  clang-22 {ns.opt}: {t_plain:8.3f}s   output: {out_plain.strip()}")
    print(f"  lazycc   {ns.opt}: {t_lazy:8.3f}s   output: {out_lazy.strip()}")
    print(f"  speed-up: {t_plain / t_lazy:.2f}x   outputs {'identical' if same else 'DIFFER'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
