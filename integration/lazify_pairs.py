"""Lazification pairs for differential testing: the engine's rewrites of real C, as the
validator's harness sees them.

    python integration/lazify_pairs.py --out DIR [-O 0 -O 2] [--policy all] [--flags "-I..."] FILE.c|DIR...

For every C file (directories are searched for *.c): clang-22 emits the module the driver
rewrites (`-S -emit-llvm -Xclang -disable-llvm-passes`), the engine rewrites it under the policy,
and for every changed caller the harness's inlining (harness.inline_for_check: original callees,
lazy clones and force functions inlined, identically on both sides) is applied to the original and
the rewritten module.  The caller alone is then extracted from each (`llvm-extract`), giving
`DIR/<file>.O<n>.<caller>.src.ll` and `.tgt.ll`, which `integration/tv_differential.py DIR` checks
with lazycc-tv and, given `--alive-tv`, with alive-tv: the same pairs the driver's validator
decides, judged by the reference tool too.  Files that do not compile (missing headers: pass
`--flags`) are reported and skipped.
"""
from __future__ import annotations

import argparse
import re
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lazycc.candidates import find_candidates  # noqa: E402
from lazycc.ir import IRModule, ToolError, clang_path, llvm_tool, set_clang  # noqa: E402
from lazycc.proposer import propose  # noqa: E402
from lazycc.rewriter import rewrite  # noqa: E402
from lazycc.validator.harness import inline_for_check  # noqa: E402


def c_files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.rglob("*.c")) if p.is_dir() else [p]
    return out


def extract(text: str, fn: str, tmp: Path) -> str:
    """The module reduced to `fn` (every other function a declaration)."""
    src = tmp / "in.ll"
    src.write_text(text)
    dst = tmp / "out.ll"
    subprocess.run([llvm_tool("llvm-extract"), f"--func={fn}", "-S", str(src), "-o", str(dst)],
                   check=True, capture_output=True, text=True, timeout=120)
    return dst.read_text()


def pairs_for(c: Path, opt: str, policy: str, flags: list[str], out: Path, tmp: Path) -> int:
    ll = tmp / "m.ll"
    p = subprocess.run([clang_path(), f"-O{opt}", *flags, "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes",
                        str(c), "-o", str(ll)], capture_output=True, text=True, timeout=300)
    if p.returncode:
        print(f"lazify_pairs: {c}: does not compile: {p.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return 0
    cands = find_candidates(IRModule(ll.read_text(), c.name, opt))
    r = rewrite(cands, propose(cands, policy))
    ch = r.changes
    inline = {x.original for x in ch.clones} | {x.name for x in ch.clones} | set(ch.force_functions)
    n = 0
    for caller in ch.callers:
        try:
            s = inline_for_check(r.original.text, inline - {caller}, caller, set(ch.force_functions))
            t = inline_for_check(r.rewritten.text, inline - {caller}, caller, set(ch.force_functions))
            s, t = extract(s, caller, tmp), extract(t, caller, tmp)
        except (ToolError, subprocess.CalledProcessError) as e:
            print(f"lazify_pairs: {c} @{caller}: {e}", file=sys.stderr)
            continue
        # TBAA only tells alias analysis what may alias (no semantics of its own); alive-tv
        # refuses it, so both sides drop it alike
        s, t = (re.sub(r", !tbaa !\d+", "", x) for x in (s, t))
        stem = re.sub(r"[^\w.-]", "_", f"{c.stem}.O{opt}.{caller}")
        (out / f"{stem}.src.ll").write_text(s)
        (out / f"{stem}.tgt.ll").write_text(t)
        n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="lazify_pairs.py", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("paths", nargs="+", metavar="FILE.c|DIR")
    ap.add_argument("--out", required=True, help="directory for the .src.ll/.tgt.ll pairs")
    ap.add_argument("-O", dest="opts", action="append", help="optimisation levels (default: 0 and 2)")
    ap.add_argument("--policy", default="all", choices=["all", "heuristic", "none"])
    ap.add_argument("--flags", default="", help="extra clang flags (include paths, defines)")
    args = ap.parse_args(argv)
    set_clang(os.environ.get("LAZYCC_CLANG"))  # this script's setting; the IR layer reads no environment
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = c_files(args.paths)
    total = 0
    with tempfile.TemporaryDirectory(prefix="lazify-pairs-") as tmp:
        for i, c in enumerate(files, 1):
            for opt in args.opts or ["0", "2"]:
                total += pairs_for(c, opt, args.policy, args.flags.split(), out, Path(tmp))
            print(f"[{i}/{len(files)}] {c}: {total} pairs so far", file=sys.stderr)
    print(f"lazify_pairs: {total} caller pairs from {len(files)} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
