"""Prove a restructuring preserves behaviour: snapshot what lazycc decides, diff two snapshots.

    python integration/equivalence.py snapshot --tree DIR --out SNAP.json
                [--alive2-tests DIR] [--csmith N --csmith-include DIR] [--jobs N] [--only SECTION...]
    python integration/equivalence.py diff BEFORE.json AFTER.json

`snapshot` runs the lazycc checkout at `--tree` (its code first on PYTHONPATH, PYTHONHASHSEED=0,
its own entry points as named in its pyproject.toml) in subprocesses and records:

  validator   every validator corpus pair (tests/validator/corpus: `lazycc-tv --json`, one row
              per pair: verdict, reason, first difference, counterexample) and the lazification
              pairs of tests/validator/lazify (`--lazification`);
  alive2      with --alive2-tests: lazycc-tv's verdict on every pair of Alive2's test suite, run as
              integration/tv_differential.py runs it (each test's own unroll and function args);
  reports     `lazycc-lazify --report` (JSON report + hash of the rewritten module) of every C file
              of the bundled corpora (integration/corpus/{zlib,cjson,lz4}) and of a csmith batch
              (seeds 1..N, generated once, reused), at -O0 and -O2, policies heuristic and all;
  objects     every corpus C file compiled by the `lazycc` driver at -O2 with LAZYCC_POLICY=none
              (the object must be byte-identical to clang-22's: recorded as a boolean) and with
              LAZYCC_POLICY=heuristic (the validated, lowered object's hash: rewrites and
              verdicts end to end), each in a fresh cache without the server.

`diff` prints, per section, how many entries are identical, differ, or exist on one side only,
and the first differences; exit status 1 when anything differs (or an object under policy none
is not byte-identical to clang's).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ("zlib", "cjson", "lz4")
CLANG = "clang-22"
SECTIONS = ("validator", "alive2", "reports", "objects")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


class Tree:
    """One checkout: how to run its entry points with its own code."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        scripts = tomllib.loads((self.path / "pyproject.toml").read_text())["project"]["scripts"]
        self.scripts = dict(scripts)
        self.env = dict(os.environ, PYTHONPATH=str(self.path), PYTHONHASHSEED="0",
                        OMP_WAIT_POLICY="PASSIVE", HF_HUB_OFFLINE="1", LAZYCC_NOSERVER="1")
        for k in list(self.env):
            if k.startswith("LAZYCC_") and k != "LAZYCC_NOSERVER":
                del self.env[k]

    def command(self, script: str) -> list[str]:
        module, func = self.scripts[script].split(":")
        return [sys.executable, "-c", f"import sys; from {module} import {func} as f; sys.exit(f())"]

    def run(self, script: str, args: list[str], env: dict | None = None, timeout: float = 1800,
            cwd: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(script) + args, capture_output=True, text=True,
                              env={**self.env, **(env or {})}, timeout=timeout, cwd=cwd)


# ---------------------------------------------------------------- validator


def validator_section(tree: Tree) -> dict:
    corpus = ROOT / "tests" / "validator" / "corpus"
    files = sorted(corpus.glob("*.srctgt.ll"))
    out: dict = {}
    p = tree.run("lazycc-tv", ["--json", *map(str, files)])
    if p.returncode not in (0, 1):
        raise SystemExit(f"lazycc-tv failed on the corpus: {p.stderr[-2000:]}")
    for r in json.loads(p.stdout)["results"]:
        key = f"{Path(r['file']).name}:{r['src']}->{r['tgt']}"
        out[key] = {k: r.get(k) for k in ("verdict", "reason", "first_difference", "example")}
    for src in sorted(corpus.glob("*.src.ll")):
        tgt = src.with_name(src.name.replace(".src.ll", ".tgt.ll"))
        p = tree.run("lazycc-tv", ["--json", str(src), str(tgt)])
        for r in json.loads(p.stdout or '{"results": []}')["results"]:
            out[f"{src.name}:{r['src']}"] = {k: r.get(k) for k in ("verdict", "reason", "first_difference")}
        if p.returncode not in (0,):
            out[f"{src.name}:exit"] = p.returncode
    lazify = ROOT / "tests" / "validator" / "lazify"
    for orig in sorted(lazify.glob("*.orig.ll")):
        lazy = orig.with_name(orig.name.replace(".orig.ll", ".lazy.ll"))
        p = tree.run("lazycc-tv", ["--json", "--lazification", str(orig), str(lazy)])
        rows = json.loads(p.stdout)["results"] if p.stdout.strip() else []
        for r in rows:
            out[f"lazify/{orig.name}:{r['src']}"] = {k: r.get(k) for k in ("verdict", "reason")}
        out[f"lazify/{orig.name}:exit"] = p.returncode
    return out


def alive2_section(tree: Tree, tests: Path, jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="equiv-alive2-") as tmp:
        js = Path(tmp) / "rows.json"
        # the tree's own script: it runs a snapshot of the package next to it; budgets are counts
        # only (--timeout-ms 0), so verdicts do not depend on load
        p = subprocess.run([sys.executable, str(tree.path / "integration" / "tv_differential.py"), "--no-fail",
                            "--jobs", str(jobs), "--timeout-ms", "0", "--json", str(js), str(tests)], capture_output=True, text=True, env=tree.env,
                           timeout=7200)
        if p.returncode:
            raise SystemExit(f"tv_differential failed: {p.stderr[-2000:]}")
        data = json.loads(js.read_text())
    out = {}
    for r in data["pairs"]:
        test = Path(r["test"])
        name = test.relative_to(tests) if test.is_absolute() and test.is_relative_to(tests) else test
        out[f"{name}:{r['src']}->{r['tgt']}"] = {"verdict": r["lazycc"], "reason": r["lazycc_reason"]}
    for t in data["tests"]:
        if t.get("lazycc_traceback"):
            out[f"{t['test']}:traceback"] = t["lazycc_traceback"][-300:]
    return out


# ---------------------------------------------------------------- reports


def corpus_c_files(corpus: Path) -> list[tuple[str, Path, list[str]]]:
    """(name, file, include flags) for every C file of the bundled corpora."""
    out = []
    for proj in CORPORA:
        root = (corpus / proj).resolve()
        if not root.is_dir():
            raise SystemExit(f"corpus {proj} missing under {corpus}: run `make corpus`")
        incs = [f"-I{root}"] + [f"-I{d}" for d in (root / "lib",) if d.is_dir()]
        for c in sorted(root.rglob("*.c")):
            rel = c.relative_to(root)
            if any(part in ("debian", ".pc", "contrib", "examples", "fuzz", "tests", "test")
                   for part in rel.parts[:-1]):
                continue
            out.append((f"{proj}/{rel}", c, [f"-I{c.parent}", *incs]))
    return out


def csmith_files(n: int, include: Path | None, work: Path) -> list[tuple[str, Path, list[str]]]:
    if n <= 0:
        return []
    if include is None or not (include / "csmith.h").exists():
        raise SystemExit("--csmith needs --csmith-include DIR holding csmith.h and safe_math.h")
    work.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in range(1, n + 1):
        c = work / f"csmith{seed}.c"
        if not c.exists():
            subprocess.run(["csmith", "--seed", str(seed), "-o", str(c)], check=True, capture_output=True,
                           timeout=120)
        out.append((f"csmith/{seed}", c, [f"-I{include}", "-w"]))
    return out


def report_one(tree: Tree, name: str, c: Path, flags: list[str], opt: str, tmp: Path) -> dict[str, dict]:
    ll = tmp / f"{_sha(name.encode())}.O{opt}.ll"
    p = subprocess.run([CLANG, f"-O{opt}", *flags, "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes",
                        str(c), "-o", str(ll)], capture_output=True, text=True, timeout=600)
    if p.returncode:
        return {f"{name}:O{opt}": {"skipped": "does not compile"}}
    out = {}
    for policy in ("heuristic", "all"):
        rep, res = ll.with_suffix(f".{policy}.json"), ll.with_suffix(f".{policy}.out.ll")
        q = tree.run("lazycc-lazify", [str(ll), "-o", str(res), "--policy", policy, "-O", opt, "--report", str(rep)],
                     timeout=1800)
        row: dict = {"exit": q.returncode}
        if q.returncode == 0:
            row["report"] = json.loads(rep.read_text())
            row["rewritten"] = _sha(res.read_bytes())
        else:
            row["stderr_tail"] = q.stderr.strip().splitlines()[-1:]
        out[f"{name}:O{opt}:{policy}"] = row
    return out


def reports_section(tree: Tree, files, jobs: int) -> dict:
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="equiv-reports-") as tmp, ThreadPoolExecutor(jobs) as pool:
        futs = [pool.submit(report_one, tree, name, c, flags, opt, Path(tmp))
                for name, c, flags in files for opt in ("0", "2")]
        for i, f in enumerate(futs, 1):
            out.update(f.result())
            if i % 20 == 0 or i == len(futs):
                print(f"  reports: {i}/{len(futs)}", file=sys.stderr)
    return out


# ---------------------------------------------------------------- objects


def object_one(tree: Tree, name: str, c: Path, flags: list[str], tmp: Path) -> dict[str, dict]:
    key = _sha(name.encode())
    ref = tmp / f"{key}.clang.o"
    p = subprocess.run([CLANG, "-O2", *flags, "-c", str(c), "-o", str(ref)], capture_output=True, timeout=600)
    if p.returncode:
        return {name: {"skipped": "does not compile"}}
    row: dict = {}
    for policy in ("none", "heuristic"):
        obj = tmp / f"{key}.{policy}.o"
        cache = tmp / f"{key}.{policy}.cache"
        q = tree.run("lazycc", [CLANG, "-O2", *flags, "-c", str(c), "-o", str(obj)],
                     env={"LAZYCC_POLICY": policy, "LAZYCC_DIR": str(cache)}, timeout=1800)
        if q.returncode:
            row[policy] = {"exit": q.returncode}
            continue
        data = obj.read_bytes()
        row[policy] = {"sha": _sha(data), "identical_to_clang": data == ref.read_bytes()}
        shutil.rmtree(cache, ignore_errors=True)
    return {name: row}


def objects_section(tree: Tree, files, jobs: int) -> dict:
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="equiv-objects-") as tmp, ThreadPoolExecutor(jobs) as pool:
        futs = [pool.submit(object_one, tree, name, c, flags, Path(tmp)) for name, c, flags in files]
        for i, f in enumerate(futs, 1):
            out.update(f.result())
            if i % 10 == 0 or i == len(futs):
                print(f"  objects: {i}/{len(futs)}", file=sys.stderr)
    return out


# ---------------------------------------------------------------- diff


def diff(before: dict, after: dict, sections=SECTIONS, show: int = 8) -> int:
    bad = 0
    for section in sections:
        a, b = before.get(section), after.get(section)
        if a is None and b is None:
            continue
        if a is None or b is None:
            print(f"{section}: only in {'after' if a is None else 'before'}")
            bad += 1
            continue
        same = [k for k in a if k in b and a[k] == b[k]]
        changed = [k for k in a if k in b and a[k] != b[k]]
        only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        print(f"{section}: {len(same)} identical, {len(changed)} differ, "
              f"{len(only_a)} only before, {len(only_b)} only after")
        for k in changed[:show]:
            print(f"  differs: {k}\n    before: {json.dumps(a[k])[:400]}\n    after:  {json.dumps(b[k])[:400]}")
        for k in only_a[:show]:
            print(f"  only before: {k}")
        for k in only_b[:show]:
            print(f"  only after: {k}")
        bad += len(changed) + len(only_a) + len(only_b)
    for snap, label in ((before, "before"), (after, "after")):
        for name, row in (snap.get("objects", {}) if "objects" in sections else {}).items():
            none = row.get("none") if isinstance(row, dict) else None
            if none is not None and not none.get("identical_to_clang"):
                print(f"objects ({label}): {name}: LAZYCC_POLICY=none object differs from clang's")
                bad += 1
    print("IDENTICAL" if not bad else f"{bad} differences")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="equivalence.py", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("--tree", default=str(ROOT), help="lazycc checkout to run (default: this one)")
    s.add_argument("--out", required=True)
    s.add_argument("--corpus", default=str(HERE / "corpus"))
    s.add_argument("--alive2-tests", help="Alive2's tests/alive-tv directory")
    s.add_argument("--csmith", type=int, default=0, help="csmith programs (seeds 1..N)")
    s.add_argument("--csmith-include", help="directory with csmith.h and safe_math.h")
    s.add_argument("--csmith-dir", default=str(Path(tempfile.gettempdir()) / "lazycc-equiv-csmith"))
    s.add_argument("--jobs", type=int, default=2)
    s.add_argument("--only", nargs="+", choices=SECTIONS)
    d = sub.add_parser("diff")
    d.add_argument("before")
    d.add_argument("after")
    d.add_argument("--only", nargs="+", choices=SECTIONS, help="compare only these sections")
    args = ap.parse_args(argv)
    if args.cmd == "diff":
        return diff(json.loads(Path(args.before).read_text()), json.loads(Path(args.after).read_text()),
                    tuple(args.only or SECTIONS))

    tree = Tree(Path(args.tree))
    want = set(args.only or SECTIONS)
    snap: dict = {"tree": str(tree.path)}
    files = corpus_c_files(Path(args.corpus))
    if "validator" in want:
        print("validator corpus ...", file=sys.stderr)
        snap["validator"] = validator_section(tree)
    if "alive2" in want and args.alive2_tests:
        print("alive2 tests ...", file=sys.stderr)
        snap["alive2"] = alive2_section(tree, Path(args.alive2_tests).resolve(), args.jobs)
    if "reports" in want:
        cs = csmith_files(args.csmith, Path(args.csmith_include) if args.csmith_include else None,
                          Path(args.csmith_dir))
        print(f"lazification reports: {len(files)} corpus + {len(cs)} csmith files ...", file=sys.stderr)
        snap["reports"] = reports_section(tree, files + cs, args.jobs)
    if "objects" in want:
        print(f"objects: {len(files)} files ...", file=sys.stderr)
        snap["objects"] = objects_section(tree, files, args.jobs)
    Path(args.out).write_text(json.dumps(snap, indent=1, sort_keys=True))
    counts = {k: len(v) for k, v in snap.items() if isinstance(v, dict)}
    print(f"equivalence: wrote {args.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
