"""Mutation testing: every mutant of a correct lazification that changes
behaviour (found by differential execution with clang-22) must be rejected.

Mutants: operand swap, constant change, dropped/reordered stores, removed memo
flag, wrong captured value.  The validator may also reject behaviour-preserving
mutants; it must never call a behaviour-changing one correct.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

from lazycc.ir import IRModule
from lazycc.rewriter import RewriteResult
from lazycc.validator import Bounds, Verdict, validate_rewrite

from tests.validator.lazify_cases import CHANGES, make

pytestmark = pytest.mark.skipif(shutil.which("clang-22") is None, reason="clang-22 not installed")

BASE = dict(used_always=False, use_after=True,
            compute="  %l = load i32, ptr %p, align 4\n  %m = udiv i32 %x, %y\n  %e = add i32 %m, %l")

MUTATIONS = {
    "swap_udiv_operands": ("%m = udiv i32 %x, %y\n  %e = add i32 %m, %l\n  store i32 %e, ptr %memop",
                           "%m = udiv i32 %y, %x\n  %e = add i32 %m, %l\n  store i32 %e, ptr %memop"),
    "const_flag_initially_done": ("store i8 0, ptr %donep", "store i8 1, ptr %donep"),
    "drop_memo_flag": ("store i8 1, ptr %donep, align 1\n  br label %ret", "br label %ret"),
    "wrong_captured_value": ("store i32 %x, ptr %xp", "store i32 %y, ptr %xp"),
    "drop_env_store": ("  store i32 %y, ptr %yp, align 4\n  %pp", "  %pp"),
    "drop_memo_store": ("  store i32 %e, ptr %memop, align 4\n", "\n"),
    "memo_field_off_by_one": ("%memop = getelementptr inbounds %thunk, ptr %t, i32 0, i32 2",
                              "%memop = getelementptr inbounds %thunk, ptr %t, i32 0, i32 3"),
    "add_constant_changed": ("%r = add i32 %a, 1\n  ret i32 %r\nskip:\n  ret i32 0\n}\n\ndefine i32 @caller",
                             "%r = add i32 %a, 2\n  ret i32 %r\nskip:\n  ret i32 0\n}\n\ndefine i32 @caller"),
    "skip_returns_memo": ("skip:\n  ret i32 0\n}\n\ndefine i32 @caller",
                          "skip:\n  %fp9 = load ptr, ptr %thunk, align 8\n  %a9 = call i32 %fp9(ptr %thunk)\n"
                          "  ret i32 %a9\n}\n\ndefine i32 @caller"),
    "store_env_after_call": ("  store ptr %p, ptr %pp, align 8\n  %r = call",
                             "  %r = call"),
}

MAIN = """
int caller(int, int, int *, _Bool);
#include <stdio.h>
int main(void) {
  int xs[] = {7, 100, -5, 1}, ys[] = {3, 9, 2, 1};
  for (int i = 0; i < 4; i++) for (int c = 0; c < 2; c++) {
    int cell = 40 + i;
    printf("%d ", caller(xs[i], ys[i], &cell, c));
  }
  printf("\\n");
  return 0;
}
"""


def run(tmp_path, ir: str, tag: str) -> str:
    (tmp_path / f"{tag}.ll").write_text(ir.replace("define internal i32 @callee(", "define internal i32 @callee(")
                                          .replace("define i32 @caller(", "define i32 @caller("))
    (tmp_path / "main.c").write_text(MAIN)
    exe = tmp_path / f"{tag}.exe"
    cp = subprocess.run(["clang-22", "-O0", "-w", "-o", str(exe), str(tmp_path / "main.c"),
                         str(tmp_path / f"{tag}.ll")], capture_output=True, text=True, timeout=120)
    if cp.returncode:
        return "compile-error:" + cp.stderr[:200]
    p = subprocess.run([str(exe)], capture_output=True, text=True, timeout=20)
    return f"{p.returncode}:{p.stdout}"


@pytest.fixture(scope="module")
def base():
    return make(**BASE)


def test_base_is_correct(base, tmp_path):
    assert validate_rewrite(base, Bounds(unroll=2)).verdict is Verdict.VERIFIED
    assert run(tmp_path, base.original.text, "o") == run(tmp_path, base.rewritten.text, "l")


# What each mutant does, checked both ways: by running it (clang-22) and by the validator.
#   changes   observable output differs on MAIN's inputs: must be rejected as INCORRECT
#   preserves a legal refinement (dropping the memo flag makes it call-by-name, the thunk is
#             pure): must run identically and verify
#   ub        adds undefined behaviour the inputs do not expose (a store past the thunk's
#             last field): runs identically here, must still be rejected
KIND = {
    "swap_udiv_operands": "changes", "const_flag_initially_done": "changes", "wrong_captured_value": "changes",
    "drop_env_store": "changes", "drop_memo_store": "changes", "add_constant_changed": "changes",
    "skip_returns_memo": "changes", "store_env_after_call": "changes",
    "drop_memo_flag": "preserves", "memo_field_off_by_one": "ub",
}


def test_every_mutant_is_classified():
    assert set(KIND) == set(MUTATIONS)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutant(name, base, tmp_path):
    old, new = MUTATIONS[name]
    assert old in base.rewritten.text, name
    text = base.rewritten.text.replace(old, new, 1)
    mutant = RewriteResult(base.original, IRModule(text, "mutant"), CHANGES)
    rep = validate_rewrite(mutant, Bounds(unroll=2))
    ref = run(tmp_path, base.original.text, "o")
    got = run(tmp_path, text, "m")
    assert not ref.startswith("compile-error") and not got.startswith("compile-error"), (ref, got)
    kind = KIND[name]
    if kind == "changes":
        assert got != ref, f"{name} was meant to change behaviour on MAIN's inputs"
        assert rep.verdict is Verdict.INCORRECT, (name, rep.verdict, ref, got)
    elif kind == "preserves":
        assert got == ref and rep.verdict is Verdict.VERIFIED, (name, rep.verdict, ref, got)
    else:
        assert got == ref and not rep.verdict.accepted, (name, rep.verdict)
