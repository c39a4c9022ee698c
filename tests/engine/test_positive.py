"""Rewrites that must happen, verified by LLVM, re-optimised at -O2 and executed."""
import re

import pytest

from helpers import lazify_c

RARE = r'''
#include <stdio.h>
int table[512];
int counter;
static int checksum(const int *t, int n, int salt) {
  int s = salt;
  for (int i = 0; i < n; i++) s = s * 31 + (t[i] ^ salt);
  return s;
}
static int record(int kind, int sum) {
  counter++;                 /* writes a global the argument does not read */
  if (kind == 7) return sum;
  return kind;
}
int main(void) {
  for (int i = 0; i < 512; i++) table[i] = i * 3;
  long acc = 0;
  for (int i = 0; i < 3000; i++) acc += record(i % 100 == 0 ? 7 : i % 5, checksum(table, 512, i));
  printf("%ld %d\n", acc, counter);
  return 0;
}
'''


@pytest.mark.parametrize("opt", ["0", "2"])
def test_rare_use_in_loop(tmp_path, opt):
    o = lazify_c(tmp_path, RARE, opt=opt, policy="heuristic", lower=(opt, "2"))
    assert o.count == 1
    (site,) = [s for s in o.cands.safe_sites]
    assert site.callee == "record" and site.arg_index == 1
    assert site.features["loop_depth"] == 1.0 and site.features["p_used"] < 1.0
    text = o.result.rewritten.text
    # deterministic internal names, uniform header, no tail on the thunk-passing call
    assert re.search(r'define internal .*@record\.lazy\.1\(', text)
    assert re.search(r'define internal i32 @main\.force\.[0-9a-f]{8}\(ptr %thunk\)', text)
    assert not re.search(r'tail call .*@record\.lazy\.1', text)
    assert o.result.changes.callers == ("main",)


def test_ids_are_stable(tmp_path):
    a = lazify_c(tmp_path, RARE, opt="2")
    b = lazify_c(tmp_path, RARE.replace("int counter;", "int counter;\nint unrelated(int x) { return x + 1; }"),
                 opt="2")
    assert a.result.changes.sites == b.result.changes.sites
    assert a.result.rewritten.text.count("force.") == b.result.rewritten.text.count("force.")


TWO = r'''
#include <stdio.h>
unsigned t[256];
static unsigned h(unsigned seed, int n) { unsigned x = seed; for (int i = 0; i < n; i++) x = (x ^ t[i]) * 16777619u; return x; }
static unsigned pick(int m, unsigned a, unsigned b) {
  switch (m) { case 0: return a; case 1: return b; default: return m; }
}
int main(void) {
  for (int i = 0; i < 256; i++) t[i] = i * 2654435761u;
  unsigned acc = 0;
  for (int i = 0; i < 2000; i++) acc += pick(i % 37 == 0 ? 0 : i % 41 == 0 ? 1 : 2 + (i & 3), h(i, 256), h(i * 3, 128));
  printf("%u\n", acc);
  return 0;
}
'''


@pytest.mark.parametrize("opt", ["0", "2"])
def test_two_arguments_of_one_call(tmp_path, opt):
    o = lazify_c(tmp_path, TWO, opt=opt)
    assert o.count == 2
    assert [c.name for c in o.result.changes.clones] == ["pick.lazy.1.2"]
    assert len(o.result.changes.force_functions) == 2


SHARED = r'''
#include <stdio.h>
#include <string.h>
const char *words[] = {"alpha", "beta", "gamma", "delta"};
static int slow_len(const char *s) { int n = 0; while (s[n]) n++; return n * 7; }
static int maybe(int flag, int v) { if (flag > 2) return v; return -flag; }
int main(int argc, char **argv) {
  int acc = 0;
  for (int i = 0; i < 100; i++) {
    acc += maybe(i % 4, slow_len(words[i % 4]));
    acc += maybe(i % 5, slow_len(words[(i + 1) % 4]) + argc);
  }
  printf("%d\n", acc);
  return 0;
}
'''


def test_one_clone_shared_by_sites(tmp_path):
    o = lazify_c(tmp_path, SHARED, opt="2")
    assert o.count == 2
    assert [c.name for c in o.result.changes.clones] == ["maybe.lazy.1"]
    assert len(set(o.result.changes.force_functions)) == 2


def test_call_by_name_runs(tmp_path):
    from lazycc.ir import parse_and_verify
    from lazycc.rewriter import rewrite
    from helpers import build_run
    o = lazify_c(tmp_path, RARE, opt="2")
    r = rewrite(o.cands, o.proposal, by_name=True)
    parse_and_verify(r.rewritten.text)
    p = tmp_path / "byname.ll"
    p.write_text(r.rewritten.text)
    assert "%done" not in r.rewritten.text
    assert build_run(str(p), "2") == o.expected


def test_post_inline_stage_direct_uses_and_phi(tmp_path):
    """Optimised callee: the parameter is used directly (and in a phi), not via an -O0 slot."""
    code = r'''
#include <stdio.h>
int tab[300], hits, misses;
__attribute__((noinline)) static int scan(const int *t, int k) { int s = 0; for (int i = 0; i < 300; i++) s += t[i] * k; return s; }
__attribute__((noinline)) static int g(int m, int x) {
  int r;
  if (m == 3) { hits++; r = x; } else if (m == 4) { misses++; r = x + 1; } else r = m;
  return r * 2;
}
int main(void) {
  for (int i = 0; i < 300; i++) tab[i] = i;
  long a = 0;
  for (int i = 0; i < 500; i++) a += g(i % 9, scan(tab, i));
  printf("%ld %d %d\n", a, hits, misses);
  return 0;
}
'''
    from lazycc.candidates import _find_cached
    _find_cached.cache_clear()
    o = lazify_c(tmp_path, code, opt="2", stage="post-inline")
    _find_cached.cache_clear()
    assert o.count == 1
    assert "post-inline" in " ".join(o.cands.notes)


OVERLAP = r'''
#include <stdio.h>
int t[256];
static int scan(const int *a, int k) { int s = 0; for (int i = 0; i < 256; i++) s += a[i] ^ k; return s; }
static int often(int m, int x) { if (m == 0) return -1; return x & 255; }
int main(void) {
  for (int i = 0; i < 256; i++) t[i] = i * 5;
  long acc = 0;
  for (int i = 0; i < 300; i++) acc += often(i % 10, scan(t, i + 1));
  printf("%ld\n", acc);
  return 0;
}
'''


@pytest.mark.parametrize("opt", ["0", "2"])
def test_overlapping_sites_outer_wins(tmp_path, opt):
    """`scan(t, i + 1)` is deferred for `often`, and `i + 1` could be deferred for `scan`:
    only one of the two may be applied (the outer one)."""
    o = lazify_c(tmp_path, OVERLAP, opt=opt)
    assert o.count == 1
    assert [c.original for c in o.result.changes.clones] == ["often"]


NESTED = r'''
#include <stdio.h>
int t[300];
static int sum(int n, int salt) { int s = salt; for (int i = 0; i < n; i++) s = s * 31 + (t[i] ^ salt); return s; }
static int inner(int k, int v) { return k == 3 ? v : k; }
static int outer(int k, int a, int b) { return k == 5 ? a + b : b - k; }
int main(void) {
  for (int i = 0; i < 300; i++) t[i] = i * 7;
  long acc = 0;
  for (int i = 0; i < 400; i++)
    acc += outer(i % 9, sum(300, i), inner(i % 4, sum(200, i + 1)));
  printf("%ld\n", acc);
  return 0;
}
'''


@pytest.mark.parametrize("opt", ["0", "2"])
def test_outer_site_deferring_code_before_an_inner_site(tmp_path, opt):
    """The outer call's deferred argument is computed before the inner site's call in the same
    block: rewriting the outer site must not shift where the inner one is rewritten (csmith
    found such modules coming out malformed)."""
    o = lazify_c(tmp_path, NESTED, opt=opt, policy="all", lower=(opt, "2"))
    assert o.count == 2
    assert {s.callee for s in o.cands.safe_sites} >= {"inner", "outer"}


UNUSED_ASSERT = r'''
#include <stdio.h>
unsigned t[4096];
static unsigned digest(const unsigned *p, int n) { unsigned x = 7; for (int i = 0; i < n; i++) x = x * 31u + p[i]; return x; }
/* an assertion helper, empty under NDEBUG: it never reads its parameter */
static void check_index(unsigned i) { (void)i; }
int main(void) {
  for (int i = 0; i < 4096; i++) t[i] = i * 2654435761u;
  unsigned acc = 0;
  for (int r = 0; r < 200; r++) { check_index(digest(t, 4096)); acc += t[r]; }
  printf("%u\n", acc);
  return 0;
}
'''


def test_heuristic_leaves_dead_arguments_of_inlined_callees_to_the_optimiser(tmp_path):
    """The parameter is never read and the callee is inlined: LLVM deletes the computation
    itself, so the heuristic declines (`all` still lazifies it: it is safe)."""
    h = lazify_c(tmp_path, UNUSED_ASSERT, opt="2", policy="heuristic")
    (site,) = [s for s in h.cands.safe_sites if s.callee == "check_index"]
    assert site.features["n_uses_in_callee"] == 0.0 and site.features["callee_inlined_anyway"] == 1.0
    assert h.proposal.deferred == ()
    assert "optimiser deletes" in next(d.reason for d in h.proposal.decisions if d.site_id == site.id)
    a = lazify_c(tmp_path, UNUSED_ASSERT, opt="2", policy="all")
    assert site.id in a.proposal.deferred
