"""`lazycc-tv`: alive-tv-compatible translation validation of LLVM IR pairs.

Exit status (same policy as alive-tv, so scripts parse stdout for verdicts):
  0  every file was read; this includes incorrect and failed-to-prove pairs;
  1  some file could not be read, parsed or verified (a translation error);
  2  bad command line.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

from lazycc.validator import Bounds, Verdict
from lazycc.validator.harness import MODULE
from lazycc.ir.model import IRReadError
from lazycc.validator.refine import PairResult
from lazycc.validator.tv import check_texts

DASHES = "-" * 40

HELP_EPILOG = """\
Files ending in .srctgt.ll hold their own pairs (@src/@tgt, @srcN/@tgtN,
@src_x/@tgt_x); other files are taken two at a time as (source, target) and
same-named defined functions are compared; a single other file is read as a
.srctgt.ll file.  Inputs are assumed not to be undef (like alive-tv
-disable-undef-input).  Loops are unrolled: executions in which a loop takes
more than --unroll back edges per entry are not checked (alive-tv's
-src-unroll=K -tgt-unroll=K; the bound is printed).

--lazification SRC.ll TGT.ll checks a whole-module lazification produced
elsewhere (by a proposer, by hand, by another tool) through the lazification
harness, one verdict per changed function.  What changed is derived from the
two modules' structure, not from names: functions defined in both whose text
differs (attributes and metadata compared by content, debug info ignored) are
the changed functions; functions defined only in TGT (lazy clones, thunk force
functions) must be internal or private, carry no promise attributes other
than nounwind/mustprogress and noundef parameters, and are inlined into the
target side; the defined, non-interposable (not weak/linkonce) SRC functions
whose calls left a changed function without reappearing in the new functions
(the redirected sites) are inlined into the source side.  noundef parameters
and return values of inlined functions are made explicit first (the inliner
would drop them).  A function defined in SRC but not in TGT gives an error
verdict to every TGT function still naming it.  Any other module difference
(a global added, removed or changed, a named type or declaration changed,
target, module asm, module flags) is an unsupported `<module>` verdict.
SRC must be the module that was lazified: for lazycc-lazify, the module with
the attributes its analysis inferred (lazycc.candidates.find_candidates(...)
.module), otherwise those added attributes are reported as "Target's function
attributes are stronger than source's".  --unroll and the budgets apply to
every check (see below).

Budgets: every verdict other than a proof or a counterexample found within
the budgets is a Timeout. By default the budgets are counts, so a verdict is
the same on an idle and on a busy machine: --rlimit z3 resource units per
query, and per checked function the driver's budgets (lazycc.validator.Bounds:
z3 units in total and symbolic-execution steps). --timeout-ms adds a
wall-clock limit per query (like alive-tv's -smt-to); verdicts then depend
on the machine's load.

Exit status: 0 when every file was read, even if some transformation is
incorrect (like alive-tv; parse stdout or use --json); 1 when a file could not
be read, parsed or verified; 2 on a bad command line.
"""


def _units(files: list[str]) -> list[tuple[str, str | None]]:
    self_contained = [f for f in files if f.endswith(".srctgt.ll")]
    rest = [f for f in files if not f.endswith(".srctgt.ll")]
    units: list[tuple[str, str | None]] = [(f, None) for f in self_contained]
    if len(rest) == 1:
        units.append((rest[0], None))
    else:
        if len(rest) % 2:
            raise SystemExit("lazycc-tv: source/target files must come in pairs")
        units += [(rest[i], rest[i + 1]) for i in range(0, len(rest), 2)]
    return units


def _header(text_lines: list[str]) -> None:
    pass


def render(r: PairResult) -> str:
    lines = [DASHES, r.src_header or f"define @{r.src}", "=>", r.tgt_header or f"define @{r.tgt}", ""]
    v = r.verdict
    if v is Verdict.VERIFIED:
        lines.append("Transformation seems to be correct!")
        if r.hit_bound:
            lines.append(f"Note: only executions in which no loop takes more than {r.unroll} back edges were checked")
    elif v is Verdict.INCORRECT:
        lines += ["Transformation doesn't verify!", "", f"ERROR: {r.reason}"]
        if r.example:
            lines.append(r.example)
        if r.first_diff:
            lines.append(f"First difference: {r.first_diff}")
    else:
        lines.append(f"ERROR: {r.reason}")
        if r.example:
            lines.append(r.example)
    return "\n".join(lines) + "\n"


def render_row(row) -> str:
    """alive-tv text for one --lazification row (a checked function or a problem)."""
    if row.pair is not None:
        return render(row.pair)
    src = row.src_line or ("; " + row.function if row.function != MODULE else "; (not in source)")
    tgt = row.tgt_line or ("; " + row.function if row.function != MODULE else "; (not in target)")
    return "\n".join([DASHES, src, "=>", tgt, "", f"ERROR: {row.reason}"]) + "\n"


def _count(counts: dict, v: Verdict) -> None:
    if v is Verdict.VERIFIED:
        counts["correct"] += 1
    elif v is Verdict.INCORRECT:
        counts["incorrect"] += 1
    elif v is Verdict.ERROR:
        counts["errors"] += 1
    else:
        counts["failed"] += 1


def _summary(counts: dict) -> None:
    print("Summary:")
    print(f"  {counts['correct']} correct transformations")
    print(f"  {counts['incorrect']} incorrect transformations")
    print(f"  {counts['failed']} failed-to-prove transformations")
    print(f"  {counts['errors']} Alive2 errors")


def _bounds(args) -> Bounds:
    return replace(Bounds(), unroll=args.unroll, query_rlimit=args.rlimit, timeout_ms=args.timeout_ms)


def main_lazification(args) -> int:
    """`--lazification SRC TGT`: one verdict per changed function (harness.check_modules)."""
    from lazycc.validator.harness import ModuleReadError, check_modules
    src, tgt = args.files
    counts = {"correct": 0, "incorrect": 0, "failed": 0, "errors": 0}
    bounds = _bounds(args)
    if not args.json:
        print("Note: inputs are assumed not to be undef (like alive-tv -disable-undef-input)")
        print(f"Note: each loop is unrolled up to {args.unroll} back edges per entry (alive-tv's -src-unroll/-tgt-unroll); longer executions are not checked")
        print()
    try:
        texts = []
        for path in (src, tgt):
            with open(path) as f:
                texts.append(f.read())
        rows = check_modules(texts[0], texts[1], bounds)
    except (OSError, ModuleReadError) as e:
        bad = tgt if getattr(e, "side", "") == "target" else src
        if isinstance(e, OSError):
            bad = e.filename or bad
        msg = str(e).strip()
        print(f"ERROR: Could not read {bad}: {msg}", file=sys.stderr)
        counts["errors"] += 1
        if args.json:
            json.dump({"mode": "lazification", "results": [{"file": bad, "error": msg}], "summary": counts,
                       "unroll": args.unroll, "timeout_ms": args.timeout_ms, "undef_inputs": False},
                      sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            _summary(counts)
        return 1
    out_json = []
    for row in rows:
        _count(counts, row.verdict)
        pr = row.pair
        if args.json:
            out_json.append({"file": src, "target_file": tgt, "function": row.function, "src": row.function,
                             "tgt": row.function, "verdict": row.verdict.value, "reason": row.reason,
                             "example": pr.example if pr else "", "first_difference": pr.first_diff if pr else "",
                             "time_s": round(row.time_s, 6), "hit_unroll_bound": bool(pr and pr.hit_bound),
                             "unroll": args.unroll, "src_define": row.src_line, "tgt_define": row.tgt_line})
        else:
            sys.stdout.write(render_row(row))
            sys.stdout.write("\n")
    if args.json:
        json.dump({"mode": "lazification", "results": out_json, "summary": counts, "unroll": args.unroll,
                   "timeout_ms": args.timeout_ms, "undef_inputs": False}, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        _summary(counts)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="lazycc-tv", description=__doc__.splitlines()[0],
                                 epilog=HELP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="src.ll tgt.ll, or pair.srctgt.ll files")
    ap.add_argument("--unroll", type=int, default=Bounds().unroll, help="loop unroll bound: back edges per loop entry, like alive-tv's -src-unroll=K -tgt-unroll=K")
    ap.add_argument("--rlimit", type=int, default=Bounds().query_rlimit,
                    help="z3 resource units per SMT query (deterministic; default %(default)s)")
    ap.add_argument("--timeout-ms", type=int, default=0,
                    help="wall-clock limit per SMT query, like alive-tv's -smt-to (0: none, the default)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--lazification", action="store_true",
                    help="SRC.ll TGT.ll is a whole-module lazification: check every changed function "
                         "through the lazification harness (see below)")
    args = ap.parse_args(argv)
    if args.lazification:
        if len(args.files) != 2:
            ap.error("--lazification takes exactly two files: SRC.ll TGT.ll")
        return main_lazification(args)
    counts = {"correct": 0, "incorrect": 0, "failed": 0, "errors": 0}
    out_json = []
    read_error = False
    if not args.json:
        print("Note: inputs are assumed not to be undef (like alive-tv -disable-undef-input)")
        print(f"Note: each loop is unrolled up to {args.unroll} back edges per entry (alive-tv's -src-unroll/-tgt-unroll); longer executions are not checked")
        print()
    for src, tgt in _units(args.files):
        try:
            with open(src) as f:
                st = f.read()
            tt = None
            if tgt is not None:
                with open(tgt) as f:
                    tt = f.read()
            results = check_texts(st, tt, _bounds(args))
        except (OSError, IRReadError) as e:
            read_error = True
            counts["errors"] += 1
            msg = str(e).strip()
            print(f"ERROR: Could not read {src if tgt is None else src + ', ' + tgt}: {msg}", file=sys.stderr)
            out_json.append({"file": src, "error": msg})
            continue
        for r in results:
            if r.verdict is Verdict.VERIFIED:
                counts["correct"] += 1
            elif r.verdict is Verdict.INCORRECT:
                counts["incorrect"] += 1
            elif r.verdict is Verdict.ERROR:
                counts["errors"] += 1
            else:
                counts["failed"] += 1
            if args.json:
                out_json.append({"file": src, "src": r.src, "tgt": r.tgt, "verdict": r.verdict.value,
                                 "reason": r.reason, "example": r.example, "first_difference": r.first_diff,
                                 "time_s": round(r.time_s, 6), "hit_unroll_bound": r.hit_bound,
                                 "unroll": r.unroll})
            else:
                sys.stdout.write(render(r))
                sys.stdout.write("\n")
    if args.json:
        json.dump({"results": out_json, "summary": counts, "unroll": args.unroll,
                   "timeout_ms": args.timeout_ms, "undef_inputs": False}, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print("Summary:")
        print(f"  {counts['correct']} correct transformations")
        print(f"  {counts['incorrect']} incorrect transformations")
        print(f"  {counts['failed']} failed-to-prove transformations")
        print(f"  {counts['errors']} Alive2 errors")
    return 1 if read_error else 0


if __name__ == "__main__":
    sys.exit(main())
