"""`lazycc-bench`: command-line entry point (argument parsing only; work is in suite, projects,
report)."""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_CONFIGS = "clang,heuristic,all,profile,model"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lazycc-bench",
        description="Build and time llvm-test-suite and real projects under clang and each lazycc "
                    "configuration; report correctness first, then the paper's tables and figures.")
    sub = p.add_subparsers(dest="cmd", required=True)

    ts = sub.add_parser("test-suite", help="build and run an llvm-test-suite checkout",
                        description="Configure, build and run (lit -j1, N times, interleaved) an "
                                    "llvm-test-suite checkout once per configuration. Resumable: "
                                    "re-run the same command to continue.")
    ts.add_argument("--suite", required=True, help="path of an llvm-test-suite checkout")
    ts.add_argument("--subdirs", default="SingleSource,CTMark",
                    help="comma-separated TEST_SUITE_SUBDIRS (SingleSource implies "
                         "TEST_SUITE_BENCHMARKING_ONLY=ON); default %(default)s")
    ts.add_argument("--configs", default=DEFAULT_CONFIGS,
                    help="comma-separated: clang (baseline) and lazycc policies; unavailable ones "
                         "are skipped with a message (default %(default)s)")
    ts.add_argument("--runs", type=int, default=3, help="lit runs per configuration (default 3)")
    ts.add_argument("--out", required=True, help="output directory (state, builds, results)")
    ts.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2,
                    help="ninja parallelism (default: all cores)")
    ts.add_argument("--cache-file", default="O3", help="cmake/caches/<NAME>.cmake (default O3)")
    ts.add_argument("--filter", default=None,
                    help="regex on lit test names (e.g. 'Benchmarks/Misc/'): build and run only "
                         "the matching tests")
    ts.add_argument("--lit", default=None, help="lit executable (default: lit on PATH or in this venv)")
    ts.add_argument("--llvm-size", default="llvm-size-22", help="llvm-size executable")

    pr = sub.add_parser("projects", help="build, test and time real projects (Debian sources)")
    pr.add_argument("--configs", default=DEFAULT_CONFIGS)
    pr.add_argument("--out", required=True)
    pr.add_argument("--projects", default="zlib,lz4,sqlite3,cjson,libevent")
    pr.add_argument("--corpus", default=None,
                    help="directory holding unpacked sources (default: integration/corpus of this "
                         "checkout, as made by integration/fetch_corpus.sh)")
    pr.add_argument("--runs", type=int, default=3)
    pr.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2)

    rp = sub.add_parser("report", help="write DIR/report.md and DIR/report.html")
    rp.add_argument("dir")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from lazycc.bench.suite import BenchError
    try:
        if args.cmd == "test-suite":
            from lazycc.bench import suite
            return suite.main(args)
        if args.cmd == "projects":
            from lazycc.bench import projects
            return projects.main(args)
        if args.cmd == "report":
            from lazycc.bench import report
            md, html = report.generate(args.dir)
            print(md)
            print(html)
            return 0
    except BenchError as e:
        print(f"lazycc-bench: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lazycc-bench: interrupted; re-run the same command to resume", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
