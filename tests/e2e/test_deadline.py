"""The pipeline deadline holds (item 1 of issue 8): a rewrite pipeline stuck in C code, spinning
or crashing is stopped at LAZYCC_TIMEOUT, the object is plain clang's, and nothing is cached."""
from __future__ import annotations

import time

import pytest
from projects import PICK_PROGRAM, CpuHog

PROGRAM = PICK_PROGRAM
TIMEOUT = 3.0


def _compile_timed(lz, *extra_env: tuple[str, str]) -> float:
    for k, v in extra_env:
        lz.env[k] = v
    t = time.monotonic()
    lz.run("-O2", "-c", "p.c", "-o", "lz.o")
    return time.monotonic() - t


@pytest.mark.parametrize("server", [False, True], ids=["in-process", "server"])
@pytest.mark.parametrize("stall", ["native", "spin"])
def test_stuck_pipeline_is_killed_at_the_deadline_under_load(lz, stall, server):
    lz.write("p.c", PROGRAM)
    lz.env.update(LAZYCC_POLICY="all", LAZYCC_TIMEOUT=str(TIMEOUT))
    if not server:
        lz.env["LAZYCC_NOSERVER"] = "1"
    t0 = time.monotonic()
    lz.clang("-O2", "-c", "p.c", "-o", "ref.o")
    clang_s = time.monotonic() - t0
    with CpuHog():
        took = _compile_timed(lz, ("LAZYCC_TEST_STALL", stall))
    # the deadline, plus the front end and clang's own compile (slow under the hog): never minutes
    assert took < TIMEOUT + 2 + 10 * clang_s + 3, took
    assert (lz.workdir / "lz.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    st = lz.stats()
    assert st["deadline_fallbacks"] == 1 and st["fallbacks"] == 1 and st["modules_unchanged"] == 1, st
    assert "deadline: rewrite pipeline killed after" in lz.log.read_text()
    # nothing was cached: without the stall the same compile misses, runs the pipeline and rewrites
    del lz.env["LAZYCC_TEST_STALL"]
    lz.env["LAZYCC_TIMEOUT"] = "600"
    lz.run("-O2", "-c", "p.c", "-o", "lz2.o")
    st = lz.stats()
    assert st["cache_misses"] == 2 and st["modules_rewritten"] == 1, st


def test_crashing_pipeline_falls_back_and_is_not_cached(lz):
    lz.write("p.c", PROGRAM)
    lz.env.update(LAZYCC_POLICY="all", LAZYCC_NOSERVER="1", LAZYCC_TEST_STALL="crash")
    lz.run("-O2", "-c", "p.c", "-o", "lz.o")
    lz.clang("-O2", "-c", "p.c", "-o", "ref.o")
    assert (lz.workdir / "lz.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    st = lz.stats()
    assert st["fallbacks"] == 1 and st["deadline_fallbacks"] == 0, st
    assert "rewrite pipeline crashed: killed by SIGSEGV" in lz.log.read_text()
    del lz.env["LAZYCC_TEST_STALL"]
    lz.run("-O2", "-c", "p.c", "-o", "lz2.o")
    assert lz.stats()["modules_rewritten"] == 1


def test_budgets_and_proposer_enter_the_cache_key(lz):
    """A change of a validator budget misses the cache (the key holds the budgets);
    --show-config shows the budgets the settings map to."""
    lz.write("p.c", PROGRAM)
    lz.env.update(LAZYCC_POLICY="all", LAZYCC_NOSERVER="1")
    lz.run("-O2", "-c", "p.c", "-o", "a.o")
    lz.run("-O2", "-c", "p.c", "-o", "b.o")
    assert lz.stats()["cache_misses"] == 1
    lz.env["LAZYCC_VALIDATE_STEPS"] = "150000"
    lz.run("-O2", "-c", "p.c", "-o", "c.o")
    assert lz.stats()["cache_misses"] == 2
    shown = lz.run("--show-config").stdout
    assert "validator budgets = 4,50000000,50000000,150000,150000000,0" in shown, shown


def test_identity_holds_the_proposers_own_key(monkeypatch, tmp_path):
    from lazycc import proposer
    from lazycc.config import load
    from lazycc.driver.compile import Context, _identity
    from lazycc.driver.log import Logger
    from lazycc.stats import Stats

    ctx = Context(cfg=load({"LAZYCC_POLICY": "heuristic", "LAZYCC_DIR": str(tmp_path)}), clang="clang-22",
                  stats=Stats(), log=Logger(""))
    before = _identity(ctx).render()
    monkeypatch.setattr(proposer, "FORCE_COST", proposer.FORCE_COST + 1)
    assert _identity(ctx).render() != before
