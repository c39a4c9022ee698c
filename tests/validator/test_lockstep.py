"""Loops that contain the change: the inductive (lockstep) check (lockstep.py).

A changed loop whose trip count exceeds the unroll bound used to be
INCONCLUSIVE ("doesn't reach a return").  When src and tgt loops pair up and
one tgt iteration provably refines one src iteration from any related header
state, both loops become one shared summary and the verdict covers every
iteration count (`hit_bound` False).  Wrong lazifications inside loops must
still be rejected (the unrolled fallback then decides).
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

from lazycc.ir import IRModule
from lazycc.validator import Bounds, Verdict, validate_rewrite
from lazycc.ir.model import read_module
from lazycc.validator.refine import UNROLL, check_pair

PROGRAMS = pathlib.Path(__file__).parent / "programs"
CLANG = shutil.which("clang-22")

SRC = """
@g = global i32 0, align 4
declare i32 @costly(i32) memory(none) willreturn nounwind
define i32 @f(i32 %n) {
entry:
  br label %h
h:
  %i = phi i32 [ 0, %entry ], [ %i1, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %latch ]
  %c = icmp ult i32 %i, 100
  br i1 %c, label %body, label %exit
body:
  %g0 = load i32, ptr @g, align 4
  %c0 = call i32 @costly(i32 %g0)
  store i32 %i, ptr @g, align 4
  %m = urem i32 %i, USEMOD
  %u = icmp eq i32 %m, 1
  br i1 %u, label %use, label %skip
use:
  br label %latch
skip:
  br label %latch
latch:
  %v = phi i32 [ %c0, %use ], [ %i, %skip ]
  %acc1 = add i32 %acc, %v
  %i1 = add nuw i32 %i, 1
  br label %h
exit:
  ret i32 %acc
}
"""

# The deferred version: a memo thunk {done, memo, x} in an alloca, (re)initialised
# at INIT_AT, forced in %use.  Placeholders plant the trap classes.
TGT = """
@g = global i32 0, align 4
declare i32 @costly(i32) memory(none) willreturn nounwind
define i32 @f(i32 %n) {
entry:
  %t = alloca { i8, i32, i32 }, align 4
  %tm = getelementptr inbounds i8, ptr %t, i64 4
  %tx = getelementptr inbounds i8, ptr %t, i64 8
ENTRY_INIT
  br label %h
h:
  %i = phi i32 [ 0, %entry ], [ %i1, %latch ]
  %acc = phi i32 [ 0, %entry ], [ %acc1, %latch ]
  %c = icmp ult i32 %i, 100
  br i1 %c, label %body, label %exit
body:
  %g0 = load i32, ptr @g, align 4
BODY_INIT
  store i32 %i, ptr @g, align 4
  %m = urem i32 %i, USEMOD
  %u = icmp eq i32 %m, 1
  br i1 %u, label %use, label %skip
use:
  %d = load i8, ptr %t, align 1
  %isd = icmp eq i8 %d, 0
  br i1 %isd, label %compute, label %memo
compute:
  %x = load i32, ptr %tx, align 4
  %cx = call i32 @costly(i32 %x)
  store i32 %cx, ptr %tm, align 4
  store i8 1, ptr %t, align 1
  br label %forced
memo:
  %mv = load i32, ptr %tm, align 4
  br label %forced
forced:
  %c0 = phi i32 [ %cx, %compute ], [ %mv, %memo ]
  br label %latch
skip:
  br label %latch
latch:
  %v = phi i32 [ %c0, %forced ], [ %i, %skip ]
  %acc1 = add i32 %acc, %v
  %i1 = add nuw i32 %i, 1
  br label %h
exit:
  ret i32 %acc
}
"""

INIT = "  store i8 0, ptr %t, align 1\n  store i32 CAPTURE, ptr %tx, align 4"


def tgt(capture="%g0", init_in_body=True, usemod="7", after_store=False):
    init = INIT.replace("CAPTURE", capture)
    body, entry = (init, "") if init_in_body else ("  store i32 %i, ptr %tx, align 4", init.replace(
        "CAPTURE", "0") if False else init.replace(capture, "0"))
    text = TGT.replace("ENTRY_INIT", entry).replace("BODY_INIT", body if not after_store else "")
    if after_store:   # the thunk is initialised after the body's store to @g: captures the new value
        text = text.replace("  store i32 %i, ptr @g, align 4\n",
                            "  store i32 %i, ptr @g, align 4\n  %g1 = load i32, ptr @g, align 4\n"
                            + init.replace(capture, "%g1") + "\n")
    return text.replace("USEMOD", usemod)


def check(src_text, tgt_text, unroll=4):
    sm, tm = read_module(src_text), read_module(tgt_text)
    return check_pair(sm, sm.functions["f"], tm, tm.functions["f"], unroll, 20_000)


def test_loop_lazification_is_verified_inductively():
    r = check(SRC.replace("USEMOD", "7"), tgt())
    assert r.verdict is Verdict.VERIFIED, (r.reason, r.example)
    assert not r.hit_bound                  # every iteration count, not just the bound


def test_without_lockstep_it_is_inconclusive():
    sm, tm = read_module(SRC.replace("USEMOD", "7")), read_module(tgt())
    r = check_pair(sm, sm.functions["f"], tm, tm.functions["f"], 4, 20_000, strategies=(UNROLL,))
    assert r.verdict is Verdict.INCONCLUSIVE


# Traps: each must be rejected.  USEMOD 2 makes the use frequent, so the unrolled
# fallback usually finds the counterexample within the bound (INCORRECT).
TRAPS = {
    # the force reads @g after the body overwrote it (src read it before)
    "force_reads_memory_written_in_body": dict(after_store=True),
    # captured value is the wrong one
    "wrong_capture": dict(capture="%i"),
    "wrong_capture_acc": dict(capture="%acc"),
    # the thunk's done flag is set up once before the loop: iteration 2 reuses iteration 1's memo
    "thunk_not_reinitialised": dict(init_in_body=False),
}


@pytest.mark.parametrize("usemod", ["2", "7"])
@pytest.mark.parametrize("name", sorted(TRAPS))
def test_loop_lazification_traps_rejected(name, usemod):
    r = check(SRC.replace("USEMOD", usemod), tgt(usemod=usemod, **TRAPS[name]))
    assert not r.verdict.accepted, name
    # the lockstep proof fails, the unrolled fallback cannot reach the return (100 iterations)
    assert r.verdict in (Verdict.INCORRECT, Verdict.INCONCLUSIVE), (name, r.verdict, r.reason)


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_loop_lazification_traps_symbolic_trip_count_incorrect(name):
    # with a symbolic trip count the unrolled fallback finds the counterexample
    r = check(SRC.replace("USEMOD", "2").replace("i32 %i, 100", "i32 %i, %n"),
              tgt(usemod="2", **TRAPS[name]).replace("i32 %i, 100", "i32 %i, %n"))
    assert r.verdict is Verdict.INCORRECT, (name, r.verdict, r.reason)


def test_extra_iteration_rejected():
    r = check(SRC.replace("USEMOD", "7"), tgt().replace("icmp ult i32 %i, 100", "icmp ult i32 %i, 101"))
    assert not r.verdict.accepted


def test_loop_state_mismatch_rejected():
    # tgt drops the summand on the skip path in the latch: accumulator differs after iteration 1
    bad = tgt().replace("[ %i, %skip ]", "[ 0, %skip ]")
    r = check(SRC.replace("USEMOD", "7"), bad)
    assert not r.verdict.accepted, (r.verdict, r.reason)


def test_memory_written_differently_in_loop_rejected():
    bad = tgt().replace("  store i32 %i, ptr @g, align 4\n", "  store i32 %acc, ptr @g, align 4\n", 1)
    r = check(SRC.replace("USEMOD", "7"), bad)
    assert not r.verdict.accepted, r.verdict


LOOP_C = {
    "simple.c": """
static int costly(int x) { int s = 0; for (int j = 0; j < x; j++) s += j * 3; return s; }
static int f(int i, int c) { if (i % 7 == 3) return c; return i; }
int run(void) { int acc = 0; for (int i = 0; i < 100; i++) acc += f(i, costly(i)); return acc; }
""",
    "shared.c": (PROGRAMS / "shared.c").read_text() if (PROGRAMS / "shared.c").exists() else None,
    # zlib build_tree/gen_codes shape: the thunk is created once before a loop with a
    # constant trip count (15 > the unroll bound) and forced in every iteration; the
    # peeled lockstep proof keeps the thunk block and relates the caller's array
    "forced_in_const_loop.c": """
struct st { unsigned short pad[8]; unsigned short cnt[16]; };
static unsigned short *counts(struct st *s) { return s->cnt; }
static __attribute__((noinline)) unsigned use(unsigned short *nc, int n) { unsigned t = 0;
  for (int i = 0; i < n; i++) t += nc[i]; return t; }
static unsigned gen(const unsigned short *bl, int n) {
  unsigned short next[16]; unsigned code = 0;
  for (int bits = 1; bits <= 15; bits++) { code = (code + bl[bits - 1]) << 1; next[bits] = (unsigned short)code; }
  return use(next + 1, n);
}
unsigned run(struct st *s, int n) { return gen(counts(s), n); }
""",
    "global.c": """
int g[64];
static int costly(int x) { int s = 0; for (int j = 0; j < 64; j++) s += g[j] ^ x; return s; }
static int pick(int i, int c) { return (i & 15) == 9 ? c : i; }
int run(int n) { int acc = 0; for (int i = 0; i < 1000; i++) { g[i & 63] = acc; acc += pick(i, costly(i + n)); } return acc; }
""",
}


@pytest.mark.skipif(CLANG is None, reason="clang-22 not installed")
@pytest.mark.parametrize("opt", ["0", "2"])
@pytest.mark.parametrize("prog", sorted(LOOP_C))
def test_engine_loop_lazification_verified(tmp_path, prog, opt):
    from lazycc.candidates import find_candidates
    from lazycc.proposer import propose
    from lazycc.rewriter import rewrite
    if LOOP_C[prog] is None:
        pytest.skip("program missing")
    c_file = tmp_path / prog
    c_file.write_text(LOOP_C[prog])
    ll = tmp_path / f"{prog}.O{opt}.ll"
    subprocess.run([CLANG, f"-O{opt}", "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes", str(c_file),
                    "-o", str(ll)], check=True, capture_output=True, timeout=60)
    c = find_candidates(IRModule(ll.read_text(), prog, opt))
    r = rewrite(c, propose(c, "all"))
    assert r.changes.callers
    rep = validate_rewrite(r, Bounds(unroll=4))
    for f in rep.functions:
        assert f.verdict is Verdict.VERIFIED, (f.function, f.reason, f.diagnostic[:2000])
        assert not f.hit_bound
