"""validate_rewrite on hand-written lazifications: correct ones pass, every
lazification trap class from docs/lazification.md is rejected."""
from __future__ import annotations

import pytest

from lazycc.ir import IRModule
from lazycc.rewriter import RewriteResult
from lazycc.validator import Bounds, Verdict, validate_rewrite

from tests.validator.lazify_cases import CHANGES, make

B = Bounds(unroll=2)

CORRECT = {
    "udiv_deferred": {},
    "pure_call_deferred": dict(decls="declare i32 @pure(i32) memory(none) willreturn nounwind\n",
                               compute="  %e = call i32 @pure(i32 %x)"),
    "used_on_every_path": dict(used_always=True),
    "forced_twice_memo": dict(used_always=True, use_after=True),
    "caller_reuses_value": dict(use_after=True),
    "load_of_unwritten_param": dict(compute="  %l = load i32, ptr %p, align 4\n  %e = add i32 %l, %x"),
}

WRONG = {
    "callee_writes_global_read_by_thunk": dict(
        decls="@g = global i32 0, align 4\n", pre="  store i32 7, ptr @g, align 4",
        compute="  %g0 = load i32, ptr @g, align 4\n  %e = add i32 %g0, %x"),
    "callee_writes_param_read_by_thunk": dict(
        pre="  store i32 5, ptr %p, align 4",
        compute="  %l = load i32, ptr %p, align 4\n  %e = add i32 %l, %x"),
    "volatile_load_deferred": dict(compute="  %e = load volatile i32, ptr %p, align 4"),
    "rand_deferred": dict(decls="declare i32 @rand()\n", compute="  %e = call i32 @rand()"),
    "printf_deferred": dict(decls="declare i32 @printf(ptr, ...)\n",
                            compute="  %e = call i32 (ptr, ...) @printf(ptr %p)"),
    "wrong_captured_value": dict(env_x="%y"),
    "memo_flag_not_set_but_side_effect": dict(
        decls="declare i32 @rand()\n", compute="  %e = call i32 @rand()", used_always=True,
        use_after=True, set_flag=False),
}


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_lazification_is_verified(name):
    rep = validate_rewrite(make(**CORRECT[name]), B)
    assert rep.verdict is Verdict.VERIFIED, [(f.reason, f.diagnostic) for f in rep.functions]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_trap_class_is_rejected(name):
    rep = validate_rewrite(make(**WRONG[name]), B)
    assert not rep.verdict.accepted
    f = rep.functions[0]
    assert f.diagnostic and f.reason, f


def test_wrong_value_diagnostic_is_model_readable():
    rep = validate_rewrite(make(env_x="%y"), B)
    f = rep.functions[0]
    assert f.verdict is Verdict.INCORRECT
    assert "Value mismatch" in f.diagnostic and "Example:" in f.diagnostic
    assert "i32 %x =" in f.diagnostic and "Source value:" in f.diagnostic


def test_malformed_ir_reports_llvm_error_with_line():
    good = make()
    bad = good.rewritten.text.replace("store i8 0, ptr %donep", "store i8 0, ptr %nosuch")
    rep = validate_rewrite(RewriteResult(good.original, IRModule(bad), CHANGES), B)
    f = rep.functions[0]
    assert f.verdict is Verdict.ERROR
    assert "nosuch" in f.diagnostic and "line" in f.diagnostic


def test_remaining_indirect_call_is_unsupported():
    good = make()
    # The header is written from an opaque source: the thunk cannot be resolved.
    bad = good.rewritten.text.replace("store ptr @caller.force.0, ptr %t, align 8",
                                      "%fx = call ptr @pick()\n  store ptr %fx, ptr %t, align 8")
    bad = "declare ptr @pick()\n" + bad
    rep = validate_rewrite(RewriteResult(good.original, IRModule(bad), CHANGES), B)
    assert rep.verdict in (Verdict.UNSUPPORTED, Verdict.INCORRECT)
    assert not rep.verdict.accepted


# -- a later pipeline round reuses a verdict only when its check is the same --------------------

def test_verdict_of_an_identical_check_is_reused():
    good = make()
    first = validate_rewrite(good, B)
    [f] = first.functions
    assert f.verdict is Verdict.VERIFIED and f.key
    # another module text around the same caller (a blank line and a comment): same check
    same = RewriteResult(good.original, IRModule(good.rewritten.text + "\n; another round\n"), CHANGES)
    again = validate_rewrite(same, B, {"caller": f})
    assert again.functions[0] is f


def test_verdict_is_not_reused_when_the_check_differs():
    good = make()
    [f] = validate_rewrite(good, B).functions
    # the force function of that caller computes something else now: checked again, rejected
    bad = good.rewritten.text.replace("%e = udiv i32 %x, %y", "%e = udiv i32 %y, %x")
    assert bad != good.rewritten.text
    rep = validate_rewrite(RewriteResult(good.original, IRModule(bad), CHANGES), B, {"caller": f})
    assert rep.functions[0] is not f
    assert rep.functions[0].verdict is Verdict.INCORRECT
    # a global of the module changed: checked again too
    glob = RewriteResult(good.original, IRModule("@extra = global i32 1\n" + good.rewritten.text), CHANGES)
    rep = validate_rewrite(glob, B, {"caller": f})
    assert rep.functions[0] is not f


def test_key_ignores_other_callers_bodies():
    from lazycc.validator.harness import caller_key, split_module
    good = make()
    other = "\ndefine i32 @unrelated(i32 %v) {\n  %w = add i32 %v, 1\n  ret i32 %w\n}\n"
    other2 = other.replace("add i32 %v, 1", "add i32 %v, 2")
    inline = {"callee", "callee.lazy.0", "caller.force.0"}
    keys = [caller_key("caller", inline, {"caller.force.0"}, "lz.t.",
                       (split_module(good.original.text), split_module(good.rewritten.text + o)))
            for o in (other, other2)]
    assert keys[0] == keys[1]
    changed = good.rewritten.text.replace("ret i32 %r", "ret i32 %x")
    assert caller_key("caller", inline, {"caller.force.0"}, "lz.t.",
                      (split_module(good.original.text), split_module(changed))) != keys[0]
