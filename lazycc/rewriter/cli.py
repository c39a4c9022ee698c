"""`lazycc-lazify in.ll -o out.ll --policy P --report report.json`

Runs candidates -> proposer -> rewriter on one IR file (no validator: the
driver's pipeline adds that) and writes the rewritten module plus a JSON
report of every candidate, the decision taken and why.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from lazycc.candidates import find_candidates
from lazycc.ir import IRModule, parse_and_verify, set_clang
from lazycc.proposer import propose
from lazycc.rewriter import rewrite


def build_report(cands, proposal, result) -> dict:
    dec = {d.site_id: d for d in proposal.decisions}
    return {
        "proposer": proposal.proposer,
        "notes": list(cands.notes),
        "candidates": [
            {"id": s.id, "caller": s.caller, "callee": s.callee, "arg_index": s.arg_index,
             "safe": s.safe, "reason": s.reason, "features": dict(s.features),
             "deferred": bool(dec.get(s.id) and dec[s.id].defer),
             "decision_reason": dec[s.id].reason if s.id in dec else ""}
            for s in cands.sites],
        "changes": {
            "sites": list(result.changes.sites),
            "callers": list(result.changes.callers),
            "clones": [{"name": c.name, "original": c.original, "deferred_params": list(c.deferred_params)}
                       for c in result.changes.clones],
            "force_functions": list(result.changes.force_functions),
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="lazycc-lazify", description=__doc__.splitlines()[0])
    ap.add_argument("input", help="LLVM IR (.ll) as emitted by clang -emit-llvm -S -Xclang -disable-llvm-passes")
    ap.add_argument("-o", "--output", default="-", help="rewritten IR (default stdout)")
    ap.add_argument("--policy", default="heuristic", choices=["all", "heuristic", "profile", "none"])
    ap.add_argument("-O", "--opt-level", default="0", help="the -O level the module was emitted for")
    ap.add_argument("--report", help="write a JSON report here")
    ap.add_argument("--stage", choices=["auto", "raw", "early", "post-inline"], default=None,
                    help="where lazification runs (default $LAZYCC_LAZIFY_STAGE, else auto: raw at -O0, "
                         "early (after the -O level's early simplification) otherwise)")
    ap.add_argument("--profile", help="profile file for --policy profile (default $LAZYCC_PROFILE_USE)")
    ap.add_argument("--threshold", type=float, default=None, help="profile use-ratio threshold")
    ap.add_argument("--profile-out", help="with --instrument: profile file used when $LAZYCC_PROFILE_FILE is unset")
    ap.add_argument("--by-name", action="store_true", help="call-by-name thunks (no memo)")
    ap.add_argument("--instrument", action="store_true",
                    help="emit a profile-generating module (all safe sites, counters dumped to $LAZYCC_PROFILE_FILE)")
    args = ap.parse_args(argv)
    # This command is an entry point: it reads the settings it honours here and passes them
    # on (the stages never read the environment).
    stage = args.stage or os.environ.get("LAZYCC_LAZIFY_STAGE", "")
    set_clang(os.environ.get("LAZYCC_CLANG"))
    text = sys.stdin.read() if args.input == "-" else open(args.input).read()
    module = IRModule(text=text, name=args.input, opt_level=args.opt_level.lstrip("O") or "0")
    cands = find_candidates(module, stage=stage or None)
    if args.instrument:
        from lazycc.rewriter.instrument import instrument
        result = instrument(cands, default_path=args.profile_out)
        proposal = propose(cands, "all")
    else:
        kw = {}
        if args.threshold is not None:
            kw["threshold"] = args.threshold
        proposal = propose(cands, args.policy, None,
                           profile_path=args.profile or os.environ.get("LAZYCC_PROFILE_USE") or None, **kw)
        result = rewrite(cands, proposal, by_name=args.by_name)
    parse_and_verify(result.rewritten.text)
    if args.output == "-":
        sys.stdout.write(result.rewritten.text)
    else:
        with open(args.output, "w") as fh:
            fh.write(result.rewritten.text)
    if args.report:
        with open(args.report, "w") as fh:
            json.dump(build_report(cands, proposal, result), fh, indent=2, sort_keys=True)
    print(f"lazycc-lazify: {len(cands.sites)} candidates, {len(cands.safe_sites)} safe, "
          f"{len(result.changes.sites)} rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
