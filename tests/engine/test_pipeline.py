"""The engine inside the driver's pipeline glue, with the real validator when present."""
import pytest

from helpers import emit_ir, lazify_c
from lazycc.ir import IRModule
from lazycc.pipeline import PipelineOptions, run_pipeline

LOOP_FREE = r'''
int tab[64];
static int scan(const int *t, int k) { int s = 0; for (int i = 0; i < 64; i++) s += t[i] * k; return s; }
static int g(int m, int x) { if (m == 3) return x; return m; }
int h(int m, int k) { return g(m, scan(tab, k)); }
'''


def validator_is_stub() -> bool:
    from lazycc.validator import VALIDATOR_VERSION
    return VALIDATOR_VERSION == "0"


@pytest.mark.parametrize("opt", ["0", "2"])
def test_pipeline_verifies_loop_free_caller(tmp_path, opt):
    if validator_is_stub():
        pytest.skip("validator is still the stub")
    src = tmp_path / "s.c"
    src.write_text(LOOP_FREE)
    res = run_pipeline(IRModule(text=emit_ir(str(src), opt), name="s", opt_level=opt),
                       PipelineOptions(policy="all"))
    assert res.safe_candidates == 1
    assert res.module is not None, res.verdicts
    assert len(res.accepted_sites) == 1


def test_debug_info_kept_valid(tmp_path):
    code = r'''
#include <stdio.h>
int t[128];
static int scan(const int *a, int k) { int s = 0; for (int i = 0; i < 128; i++) s += a[i] ^ k; return s; }
static int f(int m, int x) { if (m == 5) return x; return m; }
int main(void) { for (int i = 0; i < 128; i++) t[i] = i; long a = 0; for (int i = 0; i < 300; i++) a += f(i % 17, scan(t, i)); printf("%ld\n", a); return 0; }
'''
    for opt in ("0", "2"):
        o = lazify_c(tmp_path, code, opt=opt, extra=("-g",), lower=("2",))
        assert o.count == 1


def test_bailouts_say_why_the_pipeline_stopped(tmp_path):
    """Nothing proposed: the rewriter and validator never run; no safe site: no proposal;
    over the size budget: not even the analysis (`PipelineResult.bailout`, counted by the driver)."""
    from lazycc import proposer

    src = tmp_path / "s.c"
    src.write_text(LOOP_FREE)
    mod = IRModule(text=emit_ir(str(src), "2"), name="s", opt_level="2")
    res = run_pipeline(mod, PipelineOptions(policy="profile", profile_path=str(tmp_path / "none.prof")))
    assert res.safe_candidates == 1 and res.bailout == "nothing-deferred"
    assert res.verdicts == () and res.iterations == 1 and res.time_validate_s == 0.0
    assert run_pipeline(mod, PipelineOptions(policy="all")).bailout == ""
    unsafe = tmp_path / "u.c"
    unsafe.write_text("int g(int m, int x) { if (m == 3) return x; return m; }\n"
                      "int h(int m, volatile int *p) { return g(m, *p); }\n")
    res = run_pipeline(IRModule(text=emit_ir(str(unsafe), "2"), name="u", opt_level="2"),
                       PipelineOptions(policy="all"))
    assert res.candidates >= 1 and res.safe_candidates == 0 and res.bailout == "no-safe-site"
    big = IRModule(text=mod.text + "  ; filler\n" * (proposer.MAX_MODULE_LINES + 1), name="b", opt_level="2")
    res = run_pipeline(big, PipelineOptions(policy="heuristic"))
    assert res.bailout == "budget" and res.candidates == 0
