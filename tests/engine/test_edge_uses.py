"""A parameter used by a phi whose incoming block has other successors (a switch or a
conditional branch straight into the join, the shape early simplification leaves): the lazy
clone forces on that edge, in a block of its own, so the other successors do not force.
Before, the force sat at the end of the incoming block and the analysis called the parameter
used on every path."""
import pytest

from lazycc.candidates import find_candidates
from lazycc.ir import IRModule, parse_and_verify
from lazycc.proposer import propose
from lazycc.rewriter import RewriteResult, rewrite
from lazycc.validator import Bounds, Verdict, validate_rewrite

from tests.engine.helpers import HAVE_CLANG, lazify_c

needs_clang = pytest.mark.skipif(not HAVE_CLANG, reason="clang-22 not installed")

# two switch cases go straight to the join (two edges, two phi entries from %entry), and a
# second phi of the join has an entry from %entry as well
CALLEE = """
define internal i32 @pick(i32 %mode, i32 %a, i32 %b) {
entry:
  switch i32 %mode, label %other [
    i32 0, label %join
    i32 5, label %join
    i32 1, label %useb
  ]
useb:
  br label %join
other:
  br label %join
join:
  %r = phi i32 [ %a, %entry ], [ %a, %entry ], [ %b, %useb ], [ %mode, %other ]
  %k = phi i32 [ 1, %entry ], [ 1, %entry ], [ 2, %useb ], [ 3, %other ]
  %s = add i32 %r, %k
  ret i32 %s
}

define internal i32 @costly(i32 %x) mustprogress nounwind willreturn memory(none) {
  %y = mul i32 %x, %x
  %z = udiv i32 %y, 7
  ret i32 %z
}

define i32 @h(i32 %mode, i32 %x, i32 %w) {
  %a = call i32 @costly(i32 %x)
  %r = call i32 @pick(i32 %mode, i32 %a, i32 %w)
  ret i32 %r
}
"""


def test_switch_edge_use_is_not_every_path():
    cands = find_candidates(IRModule(text=CALLEE, name="t", opt_level="2"), stage="raw")
    [s] = [s for s in cands.sites if s.callee == "pick" and s.arg_index == 1]
    assert s.safe, s.reason
    assert s.features["used_every_path"] == 0.0 and 0.0 < s.features["p_used"] < 1.0
    result = rewrite(cands, propose(cands, "all"))
    parse_and_verify(result.rewritten.text)
    text = result.rewritten.text
    clone = text[text.index("define internal i32 @pick.lazy.1("):].split("\n}\n")[0]
    assert "lz.edge.0:" in clone
    # the entry's switch targets the edge block on both edges; the join has one entry from it
    assert clone.count("label %lz.edge.0") == 2
    assert clone.count("%lz.edge.0 ]") == 2          # one per phi, no duplicates
    assert "%entry ]" not in clone
    # the validator proves it; a clone whose edge block feeds the wrong value is rejected
    rep = validate_rewrite(result, Bounds(unroll=2))
    assert rep.verdict is Verdict.VERIFIED, [(f.reason, f.diagnostic[:300]) for f in rep.functions]
    broken = text.replace("[ %lz.v.0, %lz.edge.0 ]", "[ %mode, %lz.edge.0 ]")
    assert broken != text
    bad = validate_rewrite(RewriteResult(result.original, IRModule(broken, "bad"), result.changes), Bounds(unroll=2))
    assert bad.verdict is Verdict.INCORRECT


SWITCH_PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#define N 1024
static unsigned table[N];
__attribute__((noinline)) static unsigned hash(int n, unsigned seed) {
  unsigned h = seed;
  for (int i = 0; i < n; i++) h = (h ^ table[i]) * 16777619u;
  return h;
}
__attribute__((noinline)) static unsigned pick(int mode, unsigned a, unsigned b) {
  switch (mode) {
  case 0: return a;
  case 1: return b;
  default: return (unsigned)mode;
  }
}
int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 5000;
  for (int i = 0; i < N; i++) table[i] = (unsigned)i * 2654435761u;
  unsigned acc = 0;
  for (int i = 0; i < iters; i++) {
    int mode = (i % 97 == 0) ? 0 : (i % 89 == 0) ? 1 : 2 + (i & 3);
    acc += pick(mode, hash(N, (unsigned)i), hash(N / 2, (unsigned)i * 3u));
  }
  printf("%u\n", acc);
  return 0;
}
"""


@needs_clang
@pytest.mark.parametrize("stage", ["early", "raw"])
def test_switch_program_runs(tmp_path, stage):
    o = lazify_c(tmp_path, SWITCH_PROGRAM, opt="2", policy="heuristic", lower=("0", "2"), stage=stage)
    sites = [s for s in o.cands.sites if s.callee == "pick" and s.arg_index in (1, 2)]
    assert all(s.safe for s in sites), [s.reason for s in sites]
    assert {s.id for s in sites} <= set(o.result.changes.sites)


# early simplification turns `if (kind == 7) return sum; return kind;` into a select
SELECT_CALLEE = """
define internal i32 @record(i32 %kind, i32 %sum) {
  %c = icmp eq i32 %kind, 7
  %r = select i1 %c, i32 %sum, i32 %kind, !prof !0
  ret i32 %r
}

define internal i32 @costly(i32 %x) mustprogress nounwind willreturn memory(none) {
  %y = mul i32 %x, %x
  %z = udiv i32 %y, 7
  ret i32 %z
}

define i32 @h(i32 %kind, i32 %x) {
  %a = call i32 @costly(i32 %x)
  %r = call i32 @record(i32 %kind, i32 %a)
  ret i32 %r
}

!0 = !{!"branch_weights", i32 1, i32 99}
"""


def test_select_use_is_forced_on_its_side_only():
    cands = find_candidates(IRModule(text=SELECT_CALLEE, name="t", opt_level="2"), stage="raw")
    [s] = [s for s in cands.sites if s.callee == "record" and s.arg_index == 1]
    assert s.safe, s.reason
    assert s.features["used_every_path"] == 0.0 and abs(s.features["p_used"] - 0.01) < 1e-6
    result = rewrite(cands, propose(cands, "all"))
    text = result.rewritten.text
    parse_and_verify(text)
    clone = text[text.index("define internal i32 @record.lazy.1("):].split("\n}\n")[0]
    assert "select" not in clone
    assert "%lz.c.sum.0 = freeze i1 %c" in clone
    assert "br i1 %lz.c.sum.0, label %lz.sel.sum.0, label %lz.selj.sum.0, !prof !0" in clone
    rep = validate_rewrite(result, Bounds(unroll=2))
    assert rep.verdict is Verdict.VERIFIED, [(f.reason, f.diagnostic[:300]) for f in rep.functions]
    # without the freeze a poison condition would become a branch on poison (UB): rejected
    unfrozen = text.replace("%lz.c.sum.0 = freeze i1 %c", "%lz.c.sum.0 = and i1 %c, true")
    bad = validate_rewrite(RewriteResult(result.original, IRModule(unfrozen, "bad"), result.changes),
                           Bounds(unroll=2))
    assert bad.verdict is Verdict.INCORRECT, [(f.reason) for f in bad.functions]


# one block with phi uses of the parameter in both of its successors (crc32_z's shape in zlib
# at the early stage): two edge blocks, and the branch must target both
TWO_JOINS = """
define internal i64 @g(i64 %n, i64 %a) {
entry:
  switch i64 %n, label %out [
    i64 0, label %j1
    i64 1, label %j2
  ]
j1:
  %x = phi i64 [ %a, %entry ]
  %t = icmp ult i64 %x, 5
  br i1 %t, label %j2, label %out
j2:
  %y = phi i64 [ %a, %entry ], [ %n, %j1 ]
  br label %out
out:
  %r = phi i64 [ %x, %j1 ], [ %y, %j2 ], [ 7, %entry ]
  ret i64 %r
}

define i64 @h(i64 %n, i64 %v) {
  %a = udiv i64 %v, 7
  %r = call i64 @g(i64 %n, i64 %a)
  ret i64 %r
}
"""


def test_two_edge_splits_from_one_block():
    cands = find_candidates(IRModule(text=TWO_JOINS, name="t", opt_level="2"), stage="raw")
    [s] = [s for s in cands.sites if s.callee == "g" and s.arg_index == 1]
    result = rewrite(cands, propose(cands, "all"))
    text = result.rewritten.text
    parse_and_verify(text)
    clone = text[text.index("define internal i64 @g.lazy.1("):].split("\n}\n")[0]
    assert clone.count("lz.edge.") >= 4        # two blocks, each a label and a branch target
    entry = clone.split("lz.edge")[0]
    assert "label %j1" not in entry and "label %j2" not in entry     # both edges go through blocks
    rep = validate_rewrite(result, Bounds(unroll=2))
    assert rep.verdict is Verdict.VERIFIED, [(f.reason, f.diagnostic[:300]) for f in rep.functions]
