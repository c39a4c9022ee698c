"""Real-compile helpers for engine tests: C -> IR -> engine -> clang -> run."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from lazycc.candidates import CandidateSet, find_candidates
from lazycc.ir import IRModule, parse_and_verify
from lazycc.proposer import Proposal, propose
from lazycc.rewriter import RewriteResult, rewrite

CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")
HAVE_CLANG = shutil.which(CLANG) is not None


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60, **kw)


def emit_ir(src_path: str, opt: str, extra=()) -> str:
    out = src_path + f".O{opt}.ll"
    sh([CLANG, f"-O{opt}", *extra, "-emit-llvm", "-S", "-Xclang", "-disable-llvm-passes", src_path, "-o", out])
    return open(out).read()


def build_run(path: str, opt: str, args=()) -> str:
    exe = path + f".O{opt}.exe"
    sh([CLANG, f"-O{opt}", path, "-o", exe, "-lm"])
    return sh([exe, *args]).stdout


@dataclass
class Outcome:
    cands: CandidateSet
    proposal: Proposal
    result: RewriteResult
    expected: str
    got: dict[str, str]

    @property
    def count(self) -> int:
        return len(self.result.changes.sites)

    def site(self, callee: str, arg: int):
        return [s for s in self.cands.sites if s.callee == callee and s.arg_index == arg]


def lazify_c(tmp_path, code: str, opt: str = "2", policy: str = "all", lower=("2",), args=(),
             extra=(), stage: str | None = None) -> Outcome:
    """Compile `code` plainly and through the engine; run both and compare outputs."""
    src = tmp_path / f"p{opt}.c"
    src.write_text(code)
    expected = build_run(str(src), "2", args)
    text = emit_ir(str(src), opt, extra)
    cands = find_candidates(IRModule(text=text, name="t", opt_level=opt), stage=stage)
    proposal = propose(cands, policy)
    result = rewrite(cands, proposal)
    parse_and_verify(result.rewritten.text)
    out_ll = tmp_path / f"p{opt}.{policy}.lazy.ll"
    out_ll.write_text(result.rewritten.text)
    got = {lv: build_run(str(out_ll), lv, args) for lv in lower}
    for lv, g in got.items():
        assert g == expected, f"output differs after lowering at -O{lv}:\n{g}\nvs\n{expected}"
    return Outcome(cands, proposal, result, expected, got)
