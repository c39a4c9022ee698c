"""A caller marked always_inline (lz4's LZ4_FORCE_INLINE helpers) is checked, not inlined
into its own users and deleted by the harness's always-inline pass ("missing after
inlining" was the verdict of every such caller)."""
from __future__ import annotations

from lazycc.validator import Bounds, Verdict, validate_rewrite
from tests.engine.helpers import lazify_c

PROG = r'''
#include <stdio.h>
unsigned t[512];
static unsigned digest(const unsigned *p, int n) { unsigned x = 7; for (int i = 0; i < n; i++) x = x * 31u + p[i]; return x; }
static unsigned pick(int k, unsigned h) { if (k == 3) return h; return (unsigned)k; }
static inline __attribute__((always_inline)) unsigned step(int k) { return pick(k, digest(t, 512)); }
int main(void) {
  for (int i = 0; i < 512; i++) t[i] = i * 2654435761u;
  unsigned acc = 0;
  for (int k = 0; k < 100; k++) acc += step(k % 50);
  printf("%u\n", acc);
  return 0;
}
'''


def test_always_inline_caller_is_checked(tmp_path):
    o = lazify_c(tmp_path, PROG, opt="2", policy="all")
    assert "step" in o.result.changes.callers
    rep = validate_rewrite(o.result, Bounds(unroll=2))
    (v,) = [f for f in rep.functions if f.function == "step"]
    assert "missing after inlining" not in v.reason
    assert v.verdict is Verdict.VERIFIED, (v.reason, v.diagnostic[:600])
