"""Profile policy: instrumented build with per-site atomic counters keyed by stable ids."""
from helpers import CLANG, emit_ir, sh
from lazycc.candidates import find_candidates
from lazycc.ir import IRModule, parse_and_verify
from lazycc.proposer import propose
from lazycc.proposer.profile import read_profile
from lazycc.rewriter import rewrite
from lazycc.rewriter.instrument import instrument

CODE = r'''
#include <pthread.h>
#include <stdio.h>
int t[256];
static int scan(const int *a, int k) { int s = 0; for (int i = 0; i < 256; i++) s += a[i] ^ k; return s; }
static int rare(int m, int x) { if (m == 999) return x; return m; }
static int often(int m, int x) { if (m == 0) return -1; return x & 255; }
static void *work(void *arg) {
  long *acc = arg;
  for (int i = 0; i < 5000; i++) { *acc += rare(i % 1000, scan(t, i)); *acc += often(i % 1000, scan(t, i + 1)); }
  return 0;
}
int main(void) {
  for (int i = 0; i < 256; i++) t[i] = i * 5;
  pthread_t th[2]; long acc[2] = {0, 0};
  for (int k = 0; k < 2; k++) pthread_create(&th[k], 0, work, &acc[k]);
  for (int k = 0; k < 2; k++) pthread_join(th[k], 0);
  printf("%ld\n", acc[0] + acc[1]);
  return 0;
}
'''


def test_profile_counts_and_decisions(tmp_path):
    src = tmp_path / "p.c"
    src.write_text(CODE)
    plain = tmp_path / "plain"
    sh([CLANG, "-O2", str(src), "-o", str(plain), "-pthread"])
    expected = sh([str(plain)]).stdout
    cands = find_candidates(IRModule(text=emit_ir(str(src), "2"), name="p", opt_level="2"))
    assert {s.callee for s in cands.safe_sites} >= {"rare", "often"}
    ins = instrument(cands)
    parse_and_verify(ins.rewritten.text)
    ll = tmp_path / "instr.ll"
    ll.write_text(ins.rewritten.text)
    exe = tmp_path / "instr"
    sh([CLANG, "-O2", str(ll), "-o", str(exe), "-pthread"])
    prof = tmp_path / "prof.txt"
    import os
    out = sh([str(exe)], env=dict(os.environ, LAZYCC_PROFILE_FILE=str(prof))).stdout
    assert out == expected
    data = read_profile(str(prof))
    by_callee = {s.callee: data[s.id] for s in cands.safe_sites if s.callee in ("rare", "often")}
    assert by_callee["rare"] == (10000, 10)        # two threads, exact (atomic) counts
    assert by_callee["often"] == (10000, 9990)
    p = propose(cands, "profile", profile_path=str(prof))
    chosen = {s.callee for s in cands.safe_sites if s.id in p.deferred}
    assert chosen == {"rare"}
    r = rewrite(cands, p)
    assert len(r.changes.sites) == 1
    ll2 = tmp_path / "opt.ll"
    ll2.write_text(r.rewritten.text)
    sh([CLANG, "-O2", str(ll2), "-o", str(tmp_path / "final"), "-pthread"])
    assert sh([str(tmp_path / "final")]).stdout == expected
    # a missing profile declines everything (absence is not "unused")
    assert propose(cands, "profile", profile_path=str(tmp_path / "none.txt")).deferred == ()
