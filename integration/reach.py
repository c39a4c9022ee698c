"""Reach of the lazification engine on real C (a measurement, not a test).

For every C file under the given trees: emit clang's module (`-O<level> -S -emit-llvm
-Xclang -disable-llvm-passes`, `-I` the file's directory and the tree's root), run the candidate
analysis at each stage and each policy's proposer (no rewrite, no validator), and count
candidate sites, safe sites, deferred sites per policy and the refusal reasons.

    python integration/reach.py integration/corpus/zlib integration/corpus/cjson \
        --stages raw,early --policies heuristic,all [--json out.json] [-O 2]

Files that do not compile alone (missing configure headers) are counted as skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")


def emit(src: Path, root: Path, level: str, extra: list[str]) -> str | None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "m.ll"
        cmd = [CLANG, f"-O{level}", "-w", f"-I{src.parent}", f"-I{root}", *extra, "-S", "-emit-llvm",
               "-Xclang", "-disable-llvm-passes", str(src), "-o", str(out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        return out.read_text() if proc.returncode == 0 else None


def reason_class(reason: str) -> str:
    """A reason without the instruction text it quotes."""
    reason = re.sub(r"\s*\(.*\)$", "", reason)
    reason = re.sub(r"^(callee) \S+:", r"\1:", reason)
    reason = re.sub(r"%[-\w.$]+|@[-\w.$]+", "V", reason)
    return reason[:90]


def measure(job: tuple[str, str, str, list[str], list[str], list[str], bool]) -> dict:
    path, root, level, extra, stages, policies, validate = job
    from lazycc.candidates import find_candidates
    from lazycc.ir import IRModule
    from lazycc.proposer import propose

    text = emit(Path(path), Path(root), level, extra)
    if text is None:
        return {"file": path, "skipped": True}
    out = {"file": path, "skipped": False, "stages": {}}
    for stage in stages:
        t0 = time.process_time()
        try:
            cands = find_candidates(IRModule(text=text, name=path, opt_level=level), stage=stage)
        except Exception as exc:  # noqa: BLE001 - a measurement reports, it does not stop
            out["stages"][stage] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
            continue
        row = {"candidates": len(cands.sites), "safe": len(cands.safe_sites),
               "reasons": Counter(reason_class(s.reason) for s in cands.sites if not s.safe),
               "deferred": {}, "cpu_s": 0.0}
        for policy in policies:
            proposal = propose(cands, policy)
            row["deferred"][policy] = sum(1 for d in proposal.decisions if d.defer)
        row["cpu_s"] = round(time.process_time() - t0, 3)
        if validate and cands.safe_sites:
            row["validated"] = prove_all(text, path, level, stage)
        out["stages"][stage] = row
    return out


def prove_all(text: str, path: str, level: str, stage: str) -> dict:
    """The driver's pipeline under `all` with its default budgets: which safe sites the
    validator proves (accepted), and the verdicts by kind."""
    from lazycc.config import Config, validator_bounds
    from lazycc.ir import IRModule
    from lazycc.pipeline import PipelineOptions, run_pipeline

    t0 = time.process_time()
    res = run_pipeline(IRModule(text=text, name=path, opt_level=level),
                       PipelineOptions(policy="all", stage=stage, bounds=validator_bounds(Config())))
    return {"accepted": len(res.accepted_sites) if res.module is not None else 0,
            "rejected": len(res.rejected_sites),
            "verdicts": Counter(v[1] + (": " + reason_class(v[2])[:60] if v[1] != "correct" else "")
                                for v in res.verdicts),
            "cpu_s": round(time.process_time() - t0, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("-O", dest="level", default="2")
    ap.add_argument("--stages", default="raw,early")
    ap.add_argument("--policies", default="heuristic,all")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--json")
    ap.add_argument("--exclude", default="test,tests,examples,fuzz,contrib,programs,.pc",
                    help="directory names skipped under each tree")
    ap.add_argument("--cflags", default="", help="extra clang flags (space separated)")
    ap.add_argument("--validate", action="store_true",
                    help="also run the pipeline under `all` (validator included): proof rate of safe sites")
    args = ap.parse_args(argv)
    stages, policies = args.stages.split(","), args.policies.split(",")
    excluded = set(filter(None, args.exclude.split(",")))
    jobs = []
    for tree in args.trees:
        for src in sorted(tree.rglob("*.c")):
            if excluded & set(src.relative_to(tree).parts[:-1]):
                continue
            jobs.append((str(src), str(tree), args.level, args.cflags.split(), stages, policies,
                         args.validate))
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(measure, jobs))
    print(f"{len(results)} files, {sum(r['skipped'] for r in results)} skipped (do not compile alone)")
    totals = {}
    for stage in stages:
        t = {"candidates": 0, "safe": 0, "deferred": Counter(), "reasons": Counter(), "errors": 0,
             "cpu_s": 0.0, "proved": 0, "verdicts": Counter(), "files_changed": 0}
        for r in results:
            row = r.get("stages", {}).get(stage)
            if row is None:
                continue
            if "error" in row:
                t["errors"] += 1
                continue
            t["candidates"] += row["candidates"]
            t["safe"] += row["safe"]
            t["deferred"].update(row["deferred"])
            t["reasons"].update(row["reasons"])
            t["cpu_s"] += row["cpu_s"]
            v = row.get("validated")
            if v:
                t["proved"] += v["accepted"]
                t["files_changed"] += v["accepted"] > 0
                t["verdicts"].update(v["verdicts"])
        totals[stage] = t
    print("\n| stage | candidate sites | safe | " + " | ".join(f"deferred ({p})" for p in policies)
          + " | errors | analysis CPU s |")
    print("|---|---|---|" + "---|" * len(policies) + "---|---|")
    for stage, t in totals.items():
        print(f"| {stage} | {t['candidates']} | {t['safe']} | "
              + " | ".join(str(t["deferred"][p]) for p in policies) + f" | {t['errors']} | {t['cpu_s']:.1f} |")
    if args.validate:
        print("\n| stage | safe | proved under all | proof rate | files changed | verdicts |")
        print("|---|---|---|---|---|---|")
        for stage, t in totals.items():
            rate = t["proved"] / t["safe"] if t["safe"] else 0.0
            verdicts = ", ".join(f"{k} {n}" for k, n in t["verdicts"].most_common(8))
            print(f"| {stage} | {t['safe']} | {t['proved']} | {rate:.0%} | {t['files_changed']} | {verdicts} |")
    reasons = sorted({k for t in totals.values() for k in t["reasons"]},
                     key=lambda k: -max(t["reasons"][k] for t in totals.values()))
    print("\n| refusal reason | " + " | ".join(stages) + " |")
    print("|---|" + "---|" * len(stages))
    for k in reasons[:25]:
        print(f"| {k} | " + " | ".join(str(totals[s]["reasons"][k]) for s in stages) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps({"files": results, "totals": totals}, indent=1, default=dict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
