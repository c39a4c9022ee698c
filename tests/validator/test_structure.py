"""The validator's structure (issue 9): internal errors are ERROR verdicts, strategies are data,
the layering holds, the rewriter's thunk naming is passed in."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lazycc.validator import Bounds, Verdict
from lazycc.validator.cli import render
from lazycc.validator.handlers import HANDLERS
from lazycc.ir.model import read_module
from lazycc.validator.refine import R_INTERNAL, STRATEGIES, UNROLL, UNROLL_ALL, check_pair
from lazycc.validator.tv import check_texts

ROOT = Path(__file__).resolve().parents[2]

PAIR = """
define i32 @src(i32 %x) {
  %a = add i32 %x, 1
  ret i32 %a
}
define i32 @tgt(i32 %x) {
  %a = add i32 1, %x
  ret i32 %a
}
"""


def test_internal_error_is_an_error_verdict(monkeypatch) -> None:
    def broken(ex, st, ins):
        raise AssertionError("a bug")
    for exc in (AssertionError, KeyError, AttributeError):
        def broken(ex, st, ins, exc=exc):   # noqa: F811
            raise exc("a bug")
        monkeypatch.setitem(HANDLERS, "add", broken)
        [r] = check_texts(PAIR, None, Bounds())
        assert r.verdict is Verdict.ERROR, (exc, r.verdict, r.reason)
        assert r.reason.startswith(R_INTERNAL + exc.__name__)
        assert not r.verdict.accepted
        assert render(r).rstrip().endswith(f"ERROR: {r.reason}")


def test_strategies_are_data() -> None:
    assert STRATEGIES[-1] is UNROLL and all(not s.conclusive for s in STRATEGIES[:-1])
    m = read_module(PAIR)
    for strategies in (STRATEGIES, (UNROLL,), (UNROLL_ALL,)):
        r = check_pair(m, m.functions["src"], m, m.functions["tgt"], 4, 0, strategies=strategies)
        assert r.verdict is Verdict.VERIFIED, strategies


def test_layering() -> None:
    p = subprocess.run([sys.executable, str(ROOT / "integration" / "check_layering.py")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


def test_thunk_prefix_is_the_rewriters() -> None:
    from lazycc.rewriter import THUNK_PREFIX, Changes
    assert Changes().thunk_prefix == THUNK_PREFIX
    for path in (ROOT / "lazycc" / "validator").rglob("*.py"):
        assert THUNK_PREFIX not in path.read_text(), path
