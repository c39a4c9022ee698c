"""`lazycc-ml`: dataset commands.

    lazycc-ml dataset build --out DIR [--corpus DIR ...] [--libraries a,b] [--no-validate]
    lazycc-ml dataset stats DIR [--json FILE]
    lazycc-ml dataset split DIR --held-out LIB
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="lazycc-ml", description="lazycc machine-learning tools")
    sub = ap.add_subparsers(dest="group", required=True)
    ds = sub.add_parser("dataset", help="the lazification dataset").add_subparsers(dest="cmd", required=True)
    b = ds.add_parser("build", help="build (resumably) the dataset of the paper's eight libraries")
    b.add_argument("--out", required=True, type=Path)
    b.add_argument("--corpus", action="append", type=Path, default=[],
                   help="directory holding unpacked trees (DIR/<library>); repeatable; default integration/corpus")
    b.add_argument("--libraries", default="", help="comma-separated subset (default: all eight)")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    b.add_argument("--no-validate", action="store_true", help="skip the validator label")
    b.add_argument("--validate-per-file", type=int, default=2,
                   help="safe sites validated per file (the validator is the expensive label)")
    b.add_argument("--scripts-per-file", type=int, default=20, help="safe sites given an edit script per file")
    b.add_argument("--no-measure", action="store_true", help="do not run the workloads")
    b.add_argument("--offline", action="store_true", help="never run integration/fetch_corpus.sh")
    b.add_argument("--held-out", default=None)
    s = ds.add_parser("stats", help="Table 1 per library, label balance; writes JSON")
    s.add_argument("dir", type=Path)
    s.add_argument("--json", type=Path)
    sp = ds.add_parser("split", help="re-split by library (leave-one-library-out)")
    sp.add_argument("dir", type=Path)
    sp.add_argument("--held-out", required=True)
    rm = ds.add_parser("remeasure", help="join measured labels again from a library's work/profile.txt "
                       "(after running more of its workload against the instrumented tree)")
    rm.add_argument("dir", type=Path)
    rm.add_argument("library")
    rm.add_argument("--note", required=True, help="what ran (goes into the card's workload column)")
    args = ap.parse_args(argv)

    from lazycc.ml import dataset
    if args.cmd == "build":
        from lazycc.ml.build import LIBRARIES
        names = [n for n in args.libraries.split(",") if n] or list(LIBRARIES)
        unknown = [n for n in names if n not in LIBRARIES]
        if unknown:
            ap.error(f"unknown libraries {unknown} (known: {', '.join(LIBRARIES)})")
        corpus = args.corpus or [dataset.REPO / "integration" / "corpus"]
        failed = []
        for name in names:
            t0 = time.monotonic()
            try:
                meta = dataset.build_one(LIBRARIES[name], args.out, corpus, args.jobs,
                                         0 if args.no_validate else args.validate_per_file,
                                         args.scripts_per_file, measure=not args.no_measure, offline=args.offline)
                print(f"{name}: {meta['files']} files, {len(meta['file_errors'])} errors, "
                      f"measured={meta['measured']} ({meta['workload_note']}), {time.monotonic() - t0:.0f} s",
                      file=sys.stderr)
            except Exception as exc:  # noqa: BLE001 - the other libraries still build
                failed.append(name)
                print(f"{name}: FAILED: {exc}", file=sys.stderr)
        counts = dataset.store(args.out, args.held_out or dataset.DEFAULT_HELD_OUT)
        print("stored: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
        dataset.print_stats(args.out)
        return 1 if failed else 0
    if args.cmd == "stats":
        dataset.print_stats(args.dir, args.json)
        return 0
    if args.cmd == "remeasure":
        meta = dataset.remeasure(args.dir, args.library, args.note)
        print(f"{args.library}: measured again ({meta['workload_note']})")
        return 0
    if args.cmd == "split":
        counts = dataset.store(args.dir, args.held_out)
        print(", ".join(f"{k} {v}" for k, v in counts.items()))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
