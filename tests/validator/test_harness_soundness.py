"""The lazification harness on real C whose callers read objects the validator once got
wrong (issue 7): `extern` globals (clang: `external global T, align N`), arrays of unknown size
(`extern int t[];` -> `[0 x i32]`) and functions under `-fno-delete-null-pointer-checks`
(`null_pointer_is_valid`).  The engine's rewrite is checked as is, then deliberately broken
(the lazy clone returns a wrong constant on the path that does not force the thunk): the
broken one must never be accepted."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from lazycc.candidates import find_candidates
from lazycc.ir import IRModule
from lazycc.proposer import propose
from lazycc.rewriter import RewriteResult, rewrite
from lazycc.validator import Bounds, Verdict, validate_rewrite

CLANG = shutil.which("clang-22")
B = Bounds(unroll=2)

PICK = "static int pick(int c, int v) { if (c) return v; return 0; }\n"
PROGRAMS = {
    # (C source, extra clang flags, is the engine's own rewrite expected to be proven?)
    "extern_int": ("extern int limit;\n" + PICK +
                   "int caller(int c, int x, int y) { return pick(c, x / (y + limit)) + limit; }\n", [], True),
    "extern_array": ("extern int table[];\n" + PICK +
                     "int caller(int c, int x, int y) { return pick(c, x / (y + table[c & 3])) + table[2]; }\n",
                     [], True),
    "null_pointer_is_valid": ("extern int limit;\n" + PICK +
                              "int caller(int c, int x, int y, int *p) { return pick(c, x / (y + *p)) + limit; }\n",
                              ["-fno-delete-null-pointer-checks"], False),
}


def _lazify(tmp_path, name: str, opt: str) -> RewriteResult:
    src, flags, _ = PROGRAMS[name]
    c = tmp_path / f"{name}.c"
    c.write_text(src)
    ll = tmp_path / f"{name}.ll"
    subprocess.run([CLANG, f"-O{opt}", *flags, "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes", str(c),
                    "-o", str(ll)], check=True, capture_output=True, timeout=60)
    cands = find_candidates(IRModule(ll.read_text(), name, opt), stage="raw")   # the breaks edit raw shapes
    r = rewrite(cands, propose(cands, "all"))
    assert r.changes.callers and r.changes.clones, "the engine should lazify pick's argument"
    return r


def _break_clone(r: RewriteResult) -> RewriteResult:
    """The lazy clone returns 1 instead of 0 when it does not use the deferred argument."""
    clone = r.changes.clones[0].name
    text = r.rewritten.text
    start = next(i for i in range(len(text)) if text.startswith("define", i) and
                 text[i:text.index("\n", i)].find(f"@{clone}(") > 0)
    end = text.index("\n}\n", start)
    body = text[start:end]
    if "store i32 0, ptr" in body:           # -O0: the result goes through an alloca
        broken = body.replace("store i32 0, ptr", "store i32 1, ptr", 1)
    else:                                     # -O2 shape: a phi or select with the constant 0
        broken = body.replace("i32 0,", "i32 1,", 1)
    assert broken != body, body
    return RewriteResult(r.original, IRModule(text[:start] + broken + text[end:], r.rewritten.name,
                                              r.rewritten.opt_level), r.changes)


@pytest.mark.skipif(CLANG is None, reason="clang-22 not installed")
@pytest.mark.parametrize("opt", ["0", "2"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_broken_lazification_is_rejected(tmp_path, name, opt):
    r = _lazify(tmp_path, name, opt)
    good = validate_rewrite(r, B)
    if PROGRAMS[name][2]:
        assert good.verdict is Verdict.VERIFIED, [(f.function, f.reason, f.diagnostic[:1500]) for f in good.functions]
    else:
        assert good.verdict is Verdict.UNSUPPORTED, [(f.function, f.reason) for f in good.functions]
    bad = validate_rewrite(_break_clone(r), B)
    assert not bad.verdict.accepted, [(f.function, f.reason) for f in bad.functions]
    if PROGRAMS[name][2]:
        assert bad.verdict is Verdict.INCORRECT, [(f.function, f.reason, f.diagnostic[:1500]) for f in bad.functions]
