"""Caller-side uses of a deferred value: each becomes a force of the thunk, which only exists
from the call on, so every such use must come after the call (else the site is unsafe), and
use positions must be the instructions' own (two identical unnamed calls are two positions)."""
import pytest

from lazycc.candidates import find_candidates
from lazycc.ir import IRModule, parse_and_verify
from lazycc.proposer import propose
from lazycc.rewriter import rewrite

# @f uses %x on one path only; @fv is the void variant; @rd reads @gl (pure, deferrable).
PRELUDE = """
@gl = global i32 0

define internal i32 @f(i32 %c, i32 %x) {
  %t = icmp ne i32 %c, 0
  br i1 %t, label %a, label %b
a:
  ret i32 %x
b:
  ret i32 0
}

define internal void @fv(i32 %c, i32 %x) {
  %t = icmp ne i32 %c, 0
  br i1 %t, label %a, label %b
a:
  call void @g(i32 %x)
  ret void
b:
  ret void
}

define internal i32 @rd(i32 %k) mustprogress nounwind willreturn memory(read) {
  %v = load i32, ptr @gl
  %r = add i32 %v, %k
  ret i32 %r
}

declare void @g(i32)
"""

BEFORE_SAME_BLOCK = """
define i32 @h(i32 %c, i32 %a) {
  %v = mul i32 %a, 3
  call void @g(i32 %v)
  %r = call i32 @f(i32 %c, i32 %v)
  ret i32 %r
}
"""

# used in a predecessor block (the value then comes from another block than the call)
BEFORE_PRED_BLOCK = """
define i32 @h(i32 %c, i32 %a) {
entry:
  %v = mul i32 %a, 3
  call void @g(i32 %v)
  br label %next
next:
  %r = call i32 @f(i32 %c, i32 %v)
  ret i32 %r
}
"""

# the call is in a loop; the use comes before it in the loop body, each iteration
BEFORE_IN_LOOP = """
define i32 @h(i32 %c, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %v = mul i32 %i, 3
  call void @g(i32 %v)
  %r = call i32 @f(i32 %c, i32 %v)
  %s1 = add i32 %s, %r
  %i1 = add i32 %i, 1
  %d = icmp slt i32 %i1, %n
  br i1 %d, label %loop, label %out
out:
  ret i32 %s1
}
"""

# the value flows around the loop through a phi of the call's own block
PHI_IN_LOOP = """
define i32 @h(i32 %c, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %p = phi i32 [ 0, %entry ], [ %v, %loop ]
  %v = mul i32 %i, %p
  %r = call i32 @f(i32 %c, i32 %v)
  %i1 = add i32 %i, 1
  %d = icmp slt i32 %i1, %n
  br i1 %d, label %loop, label %out
out:
  ret i32 %r
}
"""

# used in the loop's latch, after the call (dominated, but not in the call's block)
AFTER_IN_OTHER_BLOCK = """
define i32 @h(i32 %c, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %latch ]
  %v = mul i32 %i, 3
  %r = call i32 @f(i32 %c, i32 %v)
  br label %latch
latch:
  call void @g(i32 %v)
  %i1 = add i32 %i, 1
  %d = icmp slt i32 %i1, %n
  br i1 %d, label %loop, label %out
out:
  ret i32 %r
}
"""

# positive control: one use after the call in the same block (forced there), in a loop too
AFTER_SAME_BLOCK = """
define i32 @h(i32 %c, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %v = mul i32 %i, 3
  %r = call i32 @f(i32 %c, i32 %v)
  call void @g(i32 %v)
  %i1 = add i32 %i, 1
  %d = icmp slt i32 %i1, %n
  br i1 %d, label %loop, label %out
out:
  ret i32 %r
}
"""

# two identical unnamed calls passing the same value
TWIN_CALLS = """
define void @h(i32 %c, i32 %a) {
  %v = mul i32 %a, 3
  call void @fv(i32 %c, i32 %v)
  call void @g(i32 0)
  call void @fv(i32 %c, i32 %v)
  ret void
}
"""

# the same, but the value reads @gl and @gl is written between the first call and the
# second (the real later use): the first site must see that store
TWIN_CALLS_STORE_BETWEEN = """
define void @h(i32 %c, i32 %a) {
  %v = call i32 @rd(i32 %a)
  call void @fv(i32 %c, i32 %v)
  store i32 7, ptr @gl
  call void @fv(i32 %c, i32 %v)
  ret void
}
"""


def analyse(body: str):
    cands = find_candidates(IRModule(text=PRELUDE + body, name="t", opt_level="2"), stage="raw")
    sites = [s for s in cands.sites if s.caller == "h" and s.arg_index == 1]
    assert sites, [(s.caller, s.callee, s.arg_index, s.reason) for s in cands.sites]
    return cands, sites


def lazify_all(cands):
    """Rewrite every safe site; the result must be valid IR."""
    result = rewrite(cands, propose(cands, "all"))
    parse_and_verify(result.rewritten.text)
    return result


@pytest.mark.parametrize("body, reason", [
    (BEFORE_SAME_BLOCK, "used before the call"),
    (BEFORE_IN_LOOP, "used before the call"),
    (BEFORE_PRED_BLOCK, "used elsewhere in the caller"),
    (PHI_IN_LOOP, "other block or phi"),
    (AFTER_IN_OTHER_BLOCK, "other block or phi"),
], ids=["same-block", "in-loop", "pred-block", "phi-in-loop", "later-other-block"])
def test_use_not_after_the_call_is_unsafe(body, reason):
    cands, [s] = analyse(body)
    assert not s.safe and reason in s.reason, s.reason
    assert s.id not in cands.plans
    assert not lazify_all(cands).changes.sites


def test_use_after_the_call_stays_safe():
    cands, [s] = analyse(AFTER_SAME_BLOCK)
    assert s.safe, s.reason
    plan = cands.plans[s.id]
    assert (plan.call_pos, plan.caller_uses) == (2, (3,))
    result = lazify_all(cands)
    assert len(result.changes.sites) == 1
    assert "call void @g(i32 %lz.v.1)" in result.rewritten.text


def test_identical_unnamed_calls_have_their_own_positions():
    cands, sites = analyse(TWIN_CALLS)
    first, second = sites
    assert first.safe and cands.plans[first.id].call_pos == 1
    assert cands.plans[first.id].caller_uses == (3,)
    assert not second.safe and "used before the call" in second.reason
    result = lazify_all(cands)
    assert len(result.changes.sites) == 1
    body = result.rewritten.text.split("define void @h(", 1)[1].split("\n}", 1)[0]
    assert "%v =" not in body and "%v)" not in body
    assert "call void @fv(i32 %c, i32 %lz.v.1)" in body


def test_identical_unnamed_calls_see_writes_before_the_later_use():
    cands, [first, second] = analyse(TWIN_CALLS_STORE_BETWEEN)
    assert not first.safe and "store i32 7, ptr @gl" in first.reason, first.reason
    assert not second.safe and "used before the call" in second.reason
    assert not lazify_all(cands).changes.sites


def test_rewriter_refuses_a_use_before_the_call():
    from dataclasses import replace

    from lazycc.rewriter.emit import rewrite_module
    cands, [s] = analyse(AFTER_SAME_BLOCK)
    bad = replace(cands.plans[s.id], caller_uses=(1,))
    with pytest.raises(ValueError, match="not after the call"):
        rewrite_module(cands.module.text, [bad], opt_level="2")
