"""integration/tv_differential.py: the alive-tv output parser, TEST-ARGS handling, and a run on our corpus.

The corpus run uses the files' own expectations as the reference (alive-tv absent) and asserts what must
hold while the validator is being fixed: no unsound pair, no traceback, every pair in the matrix.  With
$LAZYCC_ALIVE_TV naming an alive-tv binary, a second run uses it as the reference.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "integration" / "tv_differential.py"
CORPUS = ROOT / "tests" / "validator" / "corpus"

_spec = importlib.util.spec_from_file_location("tv_differential", TOOL)
tvd = importlib.util.module_from_spec(_spec)
sys.modules["tv_differential"] = tvd
_spec.loader.exec_module(tvd)

CANNED = """\

----------------------------------------
define i8 @src(i8 %#0, i8 %#1) {
#2:
  %x = add nsw i8 %#0, %#1
  ret i8 %x
}
=>
define i8 @tgt(i8 %#0, i8 %#1) {
#2:
  %x = add i8 %#0, %#1
  ret i8 %x
}
Transformation seems to be correct!


----------------------------------------
define i32 @src2(i32 %x) {
#0:
  %r = mul i32 %x, 3
  ret i32 %r
}
=>
define i32 @tgt2(i32 %x) {
#0:
  %r = shl i32 %x, 1
  ret i32 %r
}
Transformation doesn't verify!

ERROR: Value mismatch

Example:
i32 %x = #x00000001 (1)

Source:
i32 %r = #x00000003 (3)

Target:
i32 %r = #x00000002 (2)
Source value: #x00000003 (3)
Target value: #x00000002 (2)

Summary:
  1 correct transformations
  1 incorrect transformations
  0 failed-to-prove transformations
  0 Alive2 errors
"""


def test_parse_alive_output_canned() -> None:
    pairs, summary = tvd.parse_alive_output(CANNED)
    assert [(p.src, p.tgt, p.verdict) for p in pairs] == [("src", "tgt", "correct"), ("src2", "tgt2", "incorrect")]
    assert pairs[1].reason == "Value mismatch"
    assert not pairs[1].undef_in_example
    assert summary == {"correct": 1, "incorrect": 1, "failed": 0, "errors": 0}
    assert tvd.summary_mismatch(pairs, summary) is None
    assert tvd.summary_mismatch(pairs[:1], summary) is not None


def test_parse_alive_output_failed_and_untranslatable() -> None:
    # A timeout (failed to prove), then a pair whose tgt alive-tv cannot translate: no block of its own,
    # its ERROR lines follow the previous block; one pair per file prints no Summary.
    text = ("\n" + "-" * 40 + "\ndefine i1 @src_a(i8 %x) {\n#0:\n  ret i1 1\n}\n=>\n"
            "define i1 @tgt_a(i8 %x) {\n#0:\n  ret i1 1\n}\nERROR: Timeout\n\n"
            "ERROR: Unsupported instruction:   call void @llvm.assume(i1 true) [ \"align\"(ptr %p, i64 4) ]\n"
            "ERROR: Could not translate 'tgt_b' to Alive IR\n")
    pairs, summary = tvd.parse_alive_output(text)
    assert summary is None
    assert [(p.src, p.verdict) for p in pairs] == [("src_a", "failed"), ("tgt_b", "error")]
    assert pairs[0].reason == "Timeout"
    assert pairs[1].reason.startswith("Unsupported instruction:")


def test_test_args(tmp_path: Path) -> None:
    f = tmp_path / "loop.srctgt.ll"
    body = ("define i32 @src(i32 %x) {\n  ret i32 %x\n}\n\ndefine i32 @tgt(i32 %x) {\n  ret i32 %x\n}\n"
            "; ERROR: Value mismatch\n")
    f.write_text("; TEST-ARGS: -src-unroll=2 -tgt-unroll=3 -disable-undef-input\n" + body)
    t = tvd.make_test("srctgt", [str(f)], 0)
    assert (t.skip, t.unroll, t.pairs) == (None, 3, [("src", "tgt")])
    assert t.expected["src"].verdict == "incorrect"
    f.write_text("; TEST-ARGS: -tgt-is-asm\n" + body)
    assert tvd.make_test("srctgt", [str(f)], 0).skip == "args: -tgt-is-asm"
    f.write_text(body.replace("; ERROR: Value mismatch", "; ERROR: Timeout"))
    t = tvd.make_test("srctgt", [str(f)], 0)
    assert (t.unroll, t.expected["src"].verdict) == (0, "failed")


def test_reason_group() -> None:
    g = tvd.reason_group
    assert g("Unsupported instruction: %r = call i32 @llvm.ctpop.i32(i32 %x)") == \
        "Unsupported instruction: call @llvm.ctpop"
    assert g("Unsupported instruction: %v = atomicrmw add ptr %p, i32 1 seq_cst, align 4") == \
        "Unsupported instruction: atomicrmw"
    assert g("Value mismatch") == "Value mismatch"


def _run(env: dict, tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path / "out.json"
    proc = subprocess.run([sys.executable, str(TOOL), "--jobs", "2", "--json", str(out), *extra, str(CORPUS)],
                          capture_output=True, text=True, env=env, timeout=1800)
    data = json.loads(out.read_text())
    return proc, data


def _check(proc: subprocess.CompletedProcess, data: dict) -> None:
    s = data["summary"]
    unsound = [(u["test"], u["src"], u["reference_reason"]) for u in s["unsound_pairs"]]
    assert s["unsound"] == 0, f"unsound pairs: {unsound}\n{proc.stdout}"
    assert s["tracebacks"] == 0, f"tracebacks in {s['traceback_tests']}\n{proc.stdout}"
    assert proc.returncode == 0, proc.stdout + proc.stderr
    matrix_total = sum(sum(row.values()) for row in s["matrix"].values())
    assert matrix_total == s["pairs"] == len(data["pairs"])
    ran = [t for t in data["tests"] if not t["skipped"]]
    assert len(ran) == len(list(CORPUS.glob("*.srctgt.ll"))) + len(list(CORPUS.glob("*.src.ll")))
    assert all(t["pairs"] >= 1 for t in ran)
    assert "Confusion matrix" in proc.stdout and "UNSOUND" in proc.stdout


def test_corpus_against_expectations(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LAZYCC_ALIVE_TV"}
    proc, data = _run(env, tmp_path)
    assert data["summary"]["reference"].startswith("the test files' expectations")
    _check(proc, data)


def test_corpus_against_alive_tv(tmp_path: Path) -> None:
    alive = os.environ.get("LAZYCC_ALIVE_TV", "")
    if not (alive and os.path.isfile(alive) and os.access(alive, os.X_OK)):
        pytest.skip("LAZYCC_ALIVE_TV does not name an alive-tv binary")
    proc, data = _run(dict(os.environ), tmp_path, "--alive-tv", alive)
    assert data["summary"]["reference"].startswith("alive-tv")
    _check(proc, data)


@pytest.mark.skipif(subprocess.run(["which", "clang-22"], capture_output=True).returncode != 0,
                    reason="clang-22 not installed")
def test_lazification_pairs_from_real_c(tmp_path):
    """integration/lazify_pairs.py turns the engine's rewrites of C into the harness-inlined caller
    pairs; the differential tool then judges them (expectation: correct, the engine's rewrites of
    these programs are sound).  With $LAZYCC_ALIVE_TV set, alive-tv is the reference instead."""
    out = tmp_path / "pairs"
    micro = ROOT / "integration" / "micro"
    p = subprocess.run([sys.executable, str(ROOT / "integration" / "lazify_pairs.py"), "--out", str(out),
                        str(micro / "rare_use.c"), str(micro / "two_args.c"),
                        str(ROOT / "tests" / "validator" / "lazify" / "tv_pick.c")],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    srcs = sorted(out.glob("*.src.ll"))
    assert len(srcs) >= 6 and all(s.with_name(s.name[:-len(".src.ll")] + ".tgt.ll").is_file() for s in srcs)
    js = tmp_path / "r.json"
    env = {k: v for k, v in os.environ.items() if k != "LAZYCC_ALIVE_TV"}
    d = subprocess.run([sys.executable, str(TOOL), "--default-unroll", "4", "--json", str(js), str(out)],
                       capture_output=True, text=True, timeout=1200, env=env)
    assert d.returncode == 0, d.stdout + d.stderr
    rows = json.loads(js.read_text())["pairs"]
    assert len(rows) == len(srcs)
    assert all(r["lazycc"] == "correct" for r in rows), [(r["test"], r["lazycc"], r["lazycc_reason"]) for r in rows]
