"""Callers with loops that the rewrite does not touch, and thunks forced after
writing calls (the header cannot be forwarded by LLVM).

Loops identical on both sides are summarised (loops.py); thunk forces left
indirect are guarded with `fp == @force` by the harness and the fallback
indirect call must be proved dead by the executor.
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

from lazycc.ir import IRModule
from lazycc.validator import Bounds, Verdict, validate_rewrite
from lazycc.validator.harness import promote_indirect_calls

from tests.validator.lazify_cases import make

B = Bounds(unroll=2)
PROGRAMS = pathlib.Path(__file__).parent / "programs"
# The bundled demo is the program `make demo` builds: test that very file.
DEMO = pathlib.Path(__file__).resolve().parents[2] / "examples" / "demo" / "demo.c"
CLANG = shutil.which("clang-22")

LOG = "declare void @log()\n"
AFTER_WRITE_OK = {
    "force_after_writing_call": dict(decls=LOG, pre="  call void @log()"),
    "force_twice_after_writing_call": dict(decls=LOG, pre="  call void @log()", used_always=True,
                                           use_after=True),
    "force_after_call_writing_param": dict(decls="declare void @log(ptr)\n", pre="  call void @log(ptr %p)"),
}
AFTER_WRITE_TRAPS = {
    "writing_call_then_thunk_reads_global": dict(
        decls=LOG + "@g = global i32 0, align 4\n", pre="  call void @log()",
        compute="  %g0 = load i32, ptr @g, align 4\n  %e = add i32 %g0, %x"),
    "writing_call_then_thunk_reads_param": dict(
        decls=LOG, pre="  call void @log()", compute="  %l = load i32, ptr %p, align 4\n  %e = add i32 %l, %x"),
    "writing_call_then_rand_deferred": dict(
        decls=LOG + "declare i32 @rand()\n", pre="  call void @log()", compute="  %e = call i32 @rand()"),
    "writing_call_then_wrong_capture": dict(decls=LOG, pre="  call void @log()", env_x="%y"),
}


@pytest.mark.parametrize("name", sorted(AFTER_WRITE_OK))
def test_thunk_forced_after_writing_call_is_verified(name):
    r = make(**AFTER_WRITE_OK[name])
    # LLVM alone cannot forward the header here: the harness guard is what resolves it
    assert "call void @log" in r.rewritten.text
    rep = validate_rewrite(r, B)
    assert rep.verdict is Verdict.VERIFIED, [(f.reason, f.diagnostic) for f in rep.functions]


@pytest.mark.parametrize("name", sorted(AFTER_WRITE_TRAPS))
def test_trap_after_writing_call_is_rejected(name):
    rep = validate_rewrite(make(**AFTER_WRITE_TRAPS[name]), B)
    assert not rep.verdict.accepted
    assert rep.functions[0].reason


def test_header_overwritten_by_unknown_value_stays_unsupported():
    good = make(decls=LOG, pre="  call void @log()")
    bad = good.rewritten.text.replace("store ptr @caller.force.0, ptr %t, align 8",
                                      "%fx = call ptr @pick()\n  store ptr %fx, ptr %t, align 8")
    from lazycc.rewriter import RewriteResult
    bad = "declare ptr @pick()\n" + bad
    rep = validate_rewrite(RewriteResult(good.original, IRModule(bad), good.changes), B)
    assert rep.verdict is Verdict.UNSUPPORTED, rep.functions[0].reason
    assert "indirect call" in rep.functions[0].reason


def test_promotion_is_a_guarded_copy_of_the_call():
    text = """
define internal i32 @f.force(ptr %t) {
  ret i32 1
}
define i32 @c(ptr %t, ptr %fp) {
  %r = call noundef i32 %fp(ptr nonnull %t) #0
  %s = tail call i32 %fp(ptr %t)
  ret i32 %r
}
attributes #0 = { nounwind }
"""
    out, n = promote_indirect_calls(text, "c", {"f.force"})
    assert n == 1                                     # the tail call is left alone
    assert "%r = call i32 @lazycc.tv.dispatch.0(ptr %fp, ptr nonnull %t)" in out
    assert "icmp eq ptr %fp, @f.force" in out
    assert "call noundef i32 @f.force(ptr nonnull %a0) #0" in out
    assert "call noundef i32 %fp(ptr nonnull %a0) #0" in out
    from lazycc.ir import parse_and_verify
    parse_and_verify(out)


def _engine(path: pathlib.Path, opt: str, tmp_path):
    from lazycc.candidates import find_candidates
    from lazycc.proposer import propose
    from lazycc.rewriter import rewrite
    ll = tmp_path / f"{path.stem}.O{opt}.ll"
    subprocess.run([CLANG, f"-O{opt}", "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes", str(path),
                    "-o", str(ll)], check=True, capture_output=True, timeout=60)
    c = find_candidates(IRModule(ll.read_text(), path.stem, opt))
    return rewrite(c, propose(c, "heuristic"))


@pytest.mark.skipif(CLANG is None, reason="clang-22 not installed")
@pytest.mark.parametrize("opt", ["0", "2"])
@pytest.mark.parametrize("prog,bounded", [("demo.c", False), ("loops_before.c", False)])
def test_callers_with_untouched_loops_are_verified(tmp_path, prog, bounded, opt):
    r = _engine(DEMO if prog == "demo.c" else PROGRAMS / prog, opt, tmp_path)
    assert r.changes.callers
    rep = validate_rewrite(r)
    for f in rep.functions:
        assert f.verdict is Verdict.VERIFIED, (f.function, f.reason, f.diagnostic[:2000])
        # demo: the changed loop (symbolic trip count) is proved by the lockstep
        # induction (test_lockstep.py), so no bound applies;
        # loops_before: every loop is identical on both sides and summarised.
        assert f.hit_bound is bounded


def test_promotion_is_followed_by_inlining_when_forwarding_takes_every_round(monkeypatch):
    """A caller whose header forwarding used all of the harness's opt rounds is still
    promoted *and* inlined once more (cJSON's cJSON_DetachItemFromArray kept its
    `lazycc.tv.dispatch` calls: "passes a local address to a call")."""
    from lazycc.validator import harness
    monkeypatch.setattr(harness, "MAX_ROUNDS", 0)
    r = make(**AFTER_WRITE_OK["force_after_writing_call"])
    rep = validate_rewrite(r, B)
    assert rep.verdict is Verdict.VERIFIED, [(f.reason, f.diagnostic) for f in rep.functions]
