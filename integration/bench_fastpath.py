#!/usr/bin/env python3
"""Benchmark (not a test): the fast paths of issue 15, side by side with plain clang.

1. Per-hit latency (median, p95 over --runs): `clang -O2 -c` vs a warm direct-mode hit through
   the native client (native/lazycc-fast.c) vs the same hit through the Python driver with its
   compile server (LAZYCC_NOFAST=1, i.e. before the native client), on a tiny, a medium (zlib's
   deflate.c) and a large (generated, ~1 MB) file.
2. Rebuilds: `make clean` (untimed) then `make -jN` (timed) of each project with plain clang,
   lazycc cold (empty cache), lazycc warm (native client) and lazycc warm through Python
   (LAZYCC_NOFAST=1).  Projects: zlib, libtommath, libconfuse, sqlite3 (whichever sources are
   found: integration/corpus, LAZYCC_CORPUS_DIR, --corpus-dir; integration/fetch_corpus.sh).
3. --testfixture: sqlite3's `testfixture` one-step link (~80 sources in one command) under the
   default policy vs clang (the compiles run in parallel since issue 15).
4. --compare-with DIR: besides, a cold build (and testfixture) with the lazycc package of another
   checkout (DIR/lazycc, e.g. the main branch), interleaved in the same rounds: before and after
   side by side under the same load.

Every configuration runs the lazycc package as a snapshot taken at start (an editable install
changes under a long run).  The load average is printed with the results: this machine is
shared.  Usage:
  python integration/bench_fastpath.py [--runs 30] [--jobs 2] [--rounds 1]
      [--projects zlib,libtommath,libconfuse,sqlite3] [--testfixture [--testfixture-rounds 3]]
      [--corpus-dir DIR] [--json out.json]
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

# How to build each project's library: (configure command or None, make targets).
PROJECTS = {
    "zlib": (["./configure", "--static"], ["libz.a"]),
    # `make lz4`: liblz4.a (one `cc -c lz4.c lz4frame.c ...`: several sources with -c, a
    # pass-through, plain clang in every configuration), then the lz4 program, whose 9 sources
    # (lib's and programs') compile one by one
    "lz4": (None, ["lz4"]),
    "libtommath": (None, ["libtommath.a"]),
    "libconfuse": (["./configure"], []),
    "sqlite3": (["./configure", "--disable-tcl", "--disable-readline"], ["libsqlite3.la"]),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def find_source(name: str, extra: list[Path]) -> Path | None:
    bases = [*extra, REPO / "integration" / "corpus"]
    if os.environ.get("LAZYCC_CORPUS_DIR"):
        bases.insert(0, Path(os.environ["LAZYCC_CORPUS_DIR"]))
    for base in bases:
        for cand in [base / name, *sorted(base.glob(f"{name}-*")), *sorted((base / "src").glob(f"{name}-*"))]:
            if cand.is_dir() and any((cand / f).exists() for f in ("configure", "makefile", "Makefile")):
                return cand.resolve()
    return None


def build_native(work: Path) -> Path:
    """The native client as `make native` builds it, handing over to this interpreter."""
    out = work / "bin" / "lazycc"
    out.parent.mkdir(parents=True)
    cc = shutil.which("cc") or shutil.which("clang-22")
    subprocess.run([cc, "-O2", "-Wno-format-truncation", f'-DLAZYCC_PYTHON="{sys.executable}"', "-o", str(out),
                    str(REPO / "native" / "lazycc-fast.c")], check=True)
    return out


def python_entry(work: Path) -> Path:
    """The Python entry point as pip writes it (what `lazycc` was before the native client)."""
    out = work / "bin" / "lazycc-py"
    out.write_text(f"#!{sys.executable}\nimport sys\nfrom lazycc.cli import run\nsys.exit(run())\n")
    out.chmod(0o755)
    return out


def timed(cmd: list[str], cwd: Path, env: dict) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dt = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed in {cwd}:\n{proc.stdout[-3000:]}")
    return dt


def summary(times: list[float]) -> dict:
    ts = sorted(times)
    return {"median_ms": 1000 * statistics.median(ts), "p95_ms": 1000 * ts[max(0, int(round(0.95 * len(ts))) - 1)],
            "n": len(ts)}


def latency(work: Path, env: dict, native: Path, py: Path, clang: str, runs: int) -> dict:
    files = work / "lat"
    files.mkdir()
    (files / "tiny.c").write_text("int f(int x) { return x + 1; }\n")
    deflate = find_source("zlib", [])
    if deflate:
        for f in ("deflate.c", "deflate.h", "zutil.h", "zlib.h", "zconf.h"):
            shutil.copy(deflate / f, files / f)
    body = [f"static int g{i}(int x) {{ return x * {i} + (x >> {i % 7}); }}\n"
            f"int f{i}(int *p, int n) {{ int s = 0; for (int j = 0; j < n; j++) s += g{i}(p[j]); return s; }}\n"
            for i in range(400)]
    table = ",".join(str((i * 7919) % 251) for i in range(250_000))  # bytes of source, cheap to compile
    (files / "large.c").write_text("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n" + "".join(body)
                                   + f"const unsigned char table[] = {{{table}}};\n")
    for p in files.iterdir():
        os.utime(p, (1_600_000_000, 1_600_000_000))  # old inputs: direct mode stores them
    out: dict = {"spawn-floor": {"bytes": 0, "clang": summary([timed(["/bin/true"], files, env) for _ in range(runs)])}}
    log(f"latency floor (/bin/true): {out['spawn-floor']['clang']['median_ms']:.1f} ms")
    for name in ("tiny", "medium", "large"):
        src = {"tiny": "tiny.c", "medium": "deflate.c", "large": "large.c"}[name]
        if not (files / src).exists():
            continue
        cmd = ["-O2", "-c", src, "-o", f"{name}.o"]
        row = {"bytes": (files / src).stat().st_size}
        row["clang"] = summary([timed([clang, *cmd], files, env) for _ in range(runs)])
        for label, exe, extra in (("lazycc-native", native, {}), ("lazycc-python", py, {"LAZYCC_NOFAST": "1"})):
            e = dict(env, LAZYCC_DIR=str(work / f"lat-cache-{label}"), **extra)
            for _ in range(3):  # compile + store, then hits (the Python one also starts a server)
                timed([str(exe), *cmd], files, e)
            run_dir = Path(e["XDG_RUNTIME_DIR"])
            for _ in range(600):  # the Python path is measured with its compile server up
                if extra.get("LAZYCC_NOFAST") is None or any(run_dir.glob("*.sock")):
                    break
                time.sleep(0.1)
            timed([str(exe), *cmd], files, e)
            row[label] = summary([timed([str(exe), *cmd], files, e) for _ in range(runs)])
            st = json.loads(subprocess.run([str(py), "--show-stats", "--json"], env=e, capture_output=True,
                                           text=True).stdout)
            row[label]["direct_hits"] = st["direct_hits"]
        out[name] = row
        log(f"latency {name}: " + ", ".join(f"{k} {v['median_ms']:.1f} ms" for k, v in row.items() if isinstance(v, dict)))
    return out


def rebuilds(work: Path, env: dict, native: Path, py: Path, clang: str, names: list[str], jobs: int,
             rounds: int, corpus: list[Path], base_env: dict | None = None) -> dict:
    results: dict = {}
    for name in names:
        src = find_source(name, corpus)
        if src is None:
            results[name] = {"skipped": "sources not found (integration/fetch_corpus.sh)"}
            log(f"{name}: sources not found, skipped")
            continue
        configure, targets = PROJECTS[name]
        if configure and not (src / configure[0]).exists():
            results[name] = {"skipped": f"no {configure[0]} (needs autotools to bootstrap)"}
            log(f"{name}: no {configure[0]}, skipped")
            continue
        # One lazycc tree and cache for cold, warm and warm-through-Python (same cwd, same
        # direct-mode keys: LAZYCC_NOFAST is not part of them); the cold build primes the rest.
        setups = {"plain": (clang, {}), "lazycc-cold": (str(native), {}), "lazycc-warm": (str(native), {}),
                  "lazycc-warm-python": (str(py), {"LAZYCC_NOFAST": "1"})}
        if base_env is not None:   # the other checkout's package, its own cache (the native client is ours)
            setups["base-cold"] = (str(native), {"PYTHONPATH": base_env["PYTHONPATH"],
                                                 "LAZYCC_DIR": str(work / f"cache-{name}-base")})
        try:
            trees = {}
            for label, cc in (("plain", clang), ("lazycc", str(native))):
                tree = work / f"{name}-{label}"
                shutil.copytree(src, tree, symlinks=True)
                e = dict(env, CC=cc, LAZYCC_DIR=str(work / f"cache-{name}"))
                if configure:
                    timed(configure, tree, e)
                trees[label] = (tree, e)
            make = ["make", f"-j{jobs}", *targets]
            times: dict[str, list[float]] = {label: [] for label in setups}
            for r in range(rounds):
                for label, (cc, extra) in setups.items():
                    tree, e = trees["plain" if label == "plain" else "lazycc"]
                    e = dict(e, CC=cc, **extra)
                    timed(["make", "clean"], tree, e)
                    if label in ("lazycc-cold", "base-cold"):
                        shutil.rmtree(e["LAZYCC_DIR"], ignore_errors=True)
                    times[label].append(timed([*make, f"CC={cc}"], tree, e))
                    log(f"{name} round {r + 1}: {label} {times[label][-1]:.2f} s")
            plain = statistics.median(times["plain"])
            st = json.loads(subprocess.run([str(py), "--show-stats", "--json"], env=trees["lazycc"][1],
                                           capture_output=True, text=True).stdout)
            results[name] = {label: {"times": t, "median_s": statistics.median(t),
                                     "vs_clang": statistics.median(t) / plain} for label, t in times.items()}
            results[name]["stats"] = {k: st[k] for k in ("compilations", "direct_hits", "cache_misses", "fallbacks")}
        except RuntimeError as exc:
            results[name] = {"failed": str(exc)[:2000]}
            log(f"{name}: failed: {str(exc)[:500]}")
    return results


def testfixture(work: Path, env: dict, native: Path, clang: str, corpus: list[Path], serial: bool,
                rounds: int = 1, base_env: dict | None = None) -> dict:
    """`make testfixture` (the link of ~80 sources in one command), cold cache; with `serial`
    also under `make -j1`, which runs the split compiles one at a time (as before issue 15).
    Rounds interleave the configurations (the load of a shared machine drifts); medians."""
    src = find_source("sqlite3", corpus)
    if src is None:
        return {"skipped": "sqlite3 sources not found"}
    configs = [("plain", clang, []), ("lazycc-heuristic", str(native), [])]
    if serial:
        configs.append(("lazycc-heuristic-serial", str(native), ["-j1"]))
    if base_env is not None:
        configs.append(("base-heuristic", str(native), []))
    trees = {}
    times: dict[str, list[float]] = {label: [] for label, _cc, _f in configs}
    try:
        for label, cc, _flags in configs:
            tree = work / f"tf-{label}"
            shutil.copytree(src, tree, symlinks=True)
            e = dict(base_env if label.startswith("base") else env, CC=cc,
                     LAZYCC_DIR=str(work / f"tf-cache-{label}"))
            timed(["./configure"], tree, e)
            timed(["make", "sqlite3.c", "sqlite3.h", "tclsqlite3.c"], tree, e)  # generated sources: untimed
            trees[label] = (tree, e)
        for r in range(rounds):
            for label, _cc, flags in configs:
                tree, e = trees[label]
                for f in ("testfixture", ".libs/testfixture"):
                    (tree / f).unlink(missing_ok=True)
                shutil.rmtree(e["LAZYCC_DIR"], ignore_errors=True)  # cold cache every round
                times[label].append(timed(["make", *flags, "testfixture"], tree, e))
                log(f"testfixture round {r + 1} {label}: {times[label][-1]:.1f} s")
    except RuntimeError as exc:
        return {"failed": str(exc)[:2000]}
    out: dict = {label: statistics.median(t) for label, t in times.items()}
    out["times"] = times
    out["ratio"] = out["lazycc-heuristic"] / out["plain"]
    out["ratios_by_round"] = [lz / pl for lz, pl in zip(times["lazycc-heuristic"], times["plain"])]
    if base_env is not None:
        out["base_ratio"] = out["base-heuristic"] / out["plain"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--projects", default="zlib,libtommath,libconfuse,sqlite3")
    ap.add_argument("--corpus-dir", action="append", default=[], help="more places to look for sources")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--testfixture", action="store_true")
    ap.add_argument("--testfixture-serial", action="store_true",
                    help="also the testfixture link with its compiles one at a time (make -j1)")
    ap.add_argument("--testfixture-rounds", type=int, default=1,
                    help="interleaved rounds of the testfixture link (cold cache each); medians")
    ap.add_argument("--clang", default=os.environ.get("LAZYCC_CLANG", "clang-22"))
    ap.add_argument("--compare-with", help="another checkout whose lazycc package also builds cold")
    ap.add_argument("--json")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lazycc-fastbench-"))
    import lazycc as pkg

    snap = work / "snapshot"
    shutil.copytree(Path(pkg.__file__).parent, snap / "lazycc", ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAZYCC_") and k not in ("MAKEFLAGS", "MFLAGS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snap), env.get("PYTHONPATH")]))
    env["XDG_RUNTIME_DIR"] = str(work / "run")
    (work / "run").mkdir(mode=0o700)
    base_env = None
    if args.compare_with:
        base = work / "snapshot-base"
        shutil.copytree(Path(args.compare_with) / "lazycc", base / "lazycc",
                        ignore=shutil.ignore_patterns("__pycache__"))
        base_env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(base), os.environ.get("PYTHONPATH")])))
    native, py = build_native(work), python_entry(work)
    env["PATH"] = str(native.parent) + os.pathsep + env.get("PATH", "")
    if base_env is not None:
        base_env["PATH"] = env["PATH"]
    corpus = [Path(p) for p in args.corpus_dir]
    report: dict = {"load_before": os.getloadavg(), "nproc": os.cpu_count()}
    try:
        if not args.skip_latency:
            report["latency"] = latency(work, env, native, py, args.clang, args.runs)
        names = [n for n in args.projects.split(",") if n]
        if names:
            report["rebuilds"] = rebuilds(work, env, native, py, args.clang, names, args.jobs, args.rounds, corpus,
                                         base_env)
        if args.testfixture:
            report["testfixture"] = testfixture(work, env, native, args.clang, corpus, args.testfixture_serial,
                                                args.testfixture_rounds, base_env)
    finally:
        subprocess.run([str(py), "--stop-server"], env=env, capture_output=True)
        if base_env is not None:
            subprocess.run([str(py), "--stop-server"], env=base_env, capture_output=True)
        report["load_after"] = os.getloadavg()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nload average before {report['load_before'][0]:.2f}, after {report['load_after'][0]:.2f}; "
          f"{report['nproc']} cores")
    if "latency" in report:
        print(f"\nper-hit latency, ms (median / p95 of {args.runs})")
        print(f"{'file':<8} {'bytes':>9} {'clang -O2 -c':>14} {'lazycc native':>14} {'lazycc python':>14}"
              "   (spawn-floor: /bin/true in the clang column)")
        for name, row in report["latency"].items():
            cells = [f"{row[k]['median_ms']:.1f} / {row[k]['p95_ms']:.1f}" if k in row else "-"
                     for k in ("clang", "lazycc-native", "lazycc-python")]
            print(f"{name:<8} {row['bytes']:>9} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14}")
    if "rebuilds" in report:
        print(f"\nrebuilds, make -j{args.jobs}, median of {args.rounds} (s, and ratio to clang)")
        for name, row in report["rebuilds"].items():
            if "plain" not in row:
                print(f"{name:<11} {row.get('skipped') or 'failed: ' + row.get('failed', '')[:200]}")
                continue
            print(f"{name:<11} " + "  ".join(f"{k} {v['median_s']:.2f} ({v['vs_clang']:.2f}x)"
                                             for k, v in row.items() if k != "stats") + f"  {row['stats']}")
    if "testfixture" in report:
        print(f"\nsqlite3 testfixture one-step link: {report['testfixture']}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
