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

from lazycc.validator import Bounds, Verdict
from lazycc.validator.irmodel import IRReadError
from lazycc.validator.refine import PairResult
from lazycc.validator.tv import check_texts

DASHES = "-" * 40

HELP_EPILOG = """\
Files ending in .srctgt.ll hold their own pairs (@src/@tgt, @srcN/@tgtN,
@src_x/@tgt_x); other files are taken two at a time as (source, target) and
same-named defined functions are compared; a single other file is read as a
.srctgt.ll file.  Inputs are assumed not to be undef (like alive-tv
-disable-undef-input).  Loops are unrolled: executions taking more than
--unroll loop back edges are not checked (the bound is printed).

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
            lines.append(f"Note: only executions with at most {r.unroll} loop back edges were checked")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="lazycc-tv", description=__doc__.splitlines()[0],
                                 epilog=HELP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="src.ll tgt.ll, or pair.srctgt.ll files")
    ap.add_argument("--unroll", type=int, default=Bounds().unroll, help="loop unroll bound (back edges)")
    ap.add_argument("--timeout-ms", type=int, default=Bounds().timeout_ms, help="per SMT query")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)
    counts = {"correct": 0, "incorrect": 0, "failed": 0, "errors": 0}
    out_json = []
    read_error = False
    if not args.json:
        print("Note: inputs are assumed not to be undef (like alive-tv -disable-undef-input)")
        print(f"Note: loops are unrolled up to {args.unroll} back edges; longer executions are not checked")
        print()
    for src, tgt in _units(args.files):
        try:
            with open(src) as f:
                st = f.read()
            tt = None
            if tgt is not None:
                with open(tgt) as f:
                    tt = f.read()
            results = check_texts(st, tt, args.unroll, args.timeout_ms)
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
