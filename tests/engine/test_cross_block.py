"""Deferred computations that span blocks (issue 11 item 2, the `early` stage's common shape):
a value computed in a block that dominates the call's, with branches in between. The slice is
deferred when it is pure, every loop around the call also contains it, and nothing on a path
from it to the call writes what it reads; the program's output must not change."""
import pytest

from lazycc.candidates import find_candidates
from lazycc.ir import IRModule, parse_and_verify
from lazycc.proposer import propose
from lazycc.rewriter import rewrite

from tests.engine.helpers import HAVE_CLANG, lazify_c

needs_clang = pytest.mark.skipif(not HAVE_CLANG, reason="clang-22 not installed")

# The costly value is computed before an `if` that has nothing to do with it, and used by
# `check` on one path in a thousand. At the early stage `h` is an SSA value of the entry
# block and the call sits in the join block.
PROGRAM = r"""
#include <stdio.h>
__attribute__((noinline)) static long digest(const char *s, int n) {
  long h = 0;
  for (int r = 0; r < 200; r++)
    for (int i = 0; i < n; i++) h = h * 31 + s[i] + r;
  return h;
}
__attribute__((noinline)) static long mix(long h) { return h ^ (h >> 7); }
__attribute__((noinline)) static long check(int v, long h) {
  if (v % 1000 == 7) return mix(h);
  return v;
}
__attribute__((noinline)) static long step(int v, const char *buf, int flag) {
  long h = digest(buf, 64);
  long t = 0;
  if (flag) t = mix(flag);
  return t + check(v, h * 3);
}
int main(int argc, char **argv) {
  char buf[64];
  long total = 0;
  for (int i = 0; i < 64; i++) buf[i] = 'a' + i % 26;
  for (int v = 0; v < 3000; v++) { buf[v % 64] ^= 1; total += step(v, buf, argc > 1); }
  printf("%ld\n", total);
  return 0;
}
"""


@needs_clang
@pytest.mark.parametrize("args", [(), ("flag",)])
def test_slice_across_blocks_runs(tmp_path, args):
    o = lazify_c(tmp_path, PROGRAM, opt="2", policy="heuristic", lower=("0", "2"), args=args,
                 stage="early")
    [s] = [s for s in o.cands.sites if s.caller == "step" and s.callee == "check" and s.arg_index == 1]
    assert s.safe, s.reason
    assert s.features["n_deferred"] == 2          # the digest call and the multiplication
    assert s.id in o.result.changes.sites
    step = o.result.rewritten.text.split("define internal fastcc i64 @step(")[1].split("\n}\n")[0]
    assert "@digest(" not in step                 # moved into the force function


@needs_clang
def test_raw_stage_defers_only_the_multiplication(tmp_path):
    """At the raw stage `h` lives in an alloca: only the multiplication of its load could be
    deferred, never the digest call."""
    o = lazify_c(tmp_path, PROGRAM, opt="2", policy="all", lower=("2",), stage="raw")
    [s] = [s for s in o.cands.sites if s.caller == "step" and s.callee == "check" and s.arg_index == 1]
    assert s.features["n_calls_in_deferred"] == 0 and s.features["n_deferred"] == 1


# @f uses %x on one path only; @rd reads @gl (pure, deferrable)
from tests.engine.test_caller_uses import PRELUDE  # noqa: E402


# the deferred call reads @gl, and one arm between it and the call writes @gl
WRITE_ON_ONE_ARM = """
define i32 @h(i32 %c, i32 %a, i1 %w) {
entry:
  %v = call i32 @rd(i32 %a)
  br i1 %w, label %write, label %join
write:
  store i32 7, ptr @gl
  br label %join
join:
  %r = call i32 @f(i32 %c, i32 %v)
  ret i32 %r
}
"""

# the same with a write to memory the computation does not read: safe
UNRELATED_WRITE_ON_ONE_ARM = """
@other = global i32 0
define i32 @h(i32 %c, i32 %a, i1 %w) {
entry:
  %v = call i32 @rd(i32 %a)
  %k = mul i32 %a, 5
  br i1 %w, label %write, label %join
write:
  store i32 7, ptr @other
  br label %join
join:
  %s = add i32 %v, %k
  %r = call i32 @f(i32 %c, i32 %s)
  ret i32 %r
}
"""

# computed once before the loop, passed in every iteration: deferring would recompute it per
# iteration, from memory the loop writes
HOISTED_OUT_OF_LOOP = """
define i32 @h(i32 %c, i32 %a, i32 %n) {
entry:
  %v = call i32 @rd(i32 %a)
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %loop ]
  %r = call i32 @f(i32 %c, i32 %v)
  %acc1 = add i32 %acc, %r
  store i32 %i, ptr @gl
  %i1 = add i32 %i, 1
  %d = icmp slt i32 %i1, %n
  br i1 %d, label %loop, label %out
out:
  ret i32 %acc1
}
"""

# the write is in a later iteration's path back to the call: the call's loop contains the
# definition too, so every path from the definition to the call is within one iteration
SAME_LOOP_WRITE_AFTER_CALL = """
define i32 @h(i32 %c, i32 %a, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %latch ]
  %v = call i32 @rd(i32 %i)
  %t = icmp eq i32 %i, %a
  br i1 %t, label %mid, label %latch0
mid:
  br label %latch0
latch0:
  %r = call i32 @f(i32 %c, i32 %v)
  br label %latch
latch:
  %acc1 = add i32 %acc, %r
  store i32 %i, ptr @gl
  %i1 = add i32 %i, 1
  %d = icmp slt i32 %i1, %n
  br i1 %d, label %loop, label %out
out:
  ret i32 %acc1
}
"""

# irreducible: two entries into the cycle a <-> b
IRREDUCIBLE = """
define i32 @h(i32 %c, i32 %a, i1 %p, i1 %q) {
entry:
  %v = mul i32 %a, 3
  br i1 %p, label %x, label %y
x:
  %r1 = call i32 @f(i32 %c, i32 %v)
  br i1 %q, label %y, label %out
y:
  br i1 %q, label %x, label %out
out:
  ret i32 %a
}
"""


def analyse(body: str):
    cands = find_candidates(IRModule(text=PRELUDE + body, name="t", opt_level="2"), stage="raw")
    sites = [s for s in cands.sites if s.caller == "h" and s.callee == "f" and s.arg_index == 1]
    assert len(sites) == 1, [(s.caller, s.callee, s.arg_index, s.reason) for s in cands.sites]
    return cands, sites[0]


@pytest.mark.parametrize("body, reason", [
    (WRITE_ON_ONE_ARM, "caller: write to @gl"),
    (HOISTED_OUT_OF_LOOP, "outside a loop the call is in"),
    (IRREDUCIBLE, "irreducible"),
], ids=["write-on-one-arm", "hoisted-out-of-loop", "irreducible"])
def test_unsafe_cross_block_slices(body, reason):
    cands, s = analyse(body)
    assert not s.safe and reason in s.reason, s.reason
    assert not rewrite(cands, propose(cands, "all")).changes.sites


@pytest.mark.parametrize("body, n_deferred", [
    (UNRELATED_WRITE_ON_ONE_ARM, 3),
    (SAME_LOOP_WRITE_AFTER_CALL, 1),
], ids=["unrelated-write", "same-loop"])
def test_safe_cross_block_slices(body, n_deferred):
    cands, s = analyse(body)
    assert s.safe, s.reason
    assert s.features["n_deferred"] == n_deferred
    result = rewrite(cands, propose(cands, "all"))
    parse_and_verify(result.rewritten.text)
    assert s.id in result.changes.sites
    h = result.rewritten.text.split("define i32 @h(")[1].split("\n}\n")[0]
    assert "call i32 @rd(" not in h
