"""The counter tables: every `Stat` and `Reason` described once, bumps take members only,
and the README's counters table is the generated one."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lazycc import stats
from lazycc.stats import COUNTERS, REASONS, Reason, Stat, Stats

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_stat_described_once_and_every_description_a_stat():
    described = [c.stat for c in COUNTERS]
    assert len(described) == len(set(described))
    assert set(described) == set(Stat)
    assert all(isinstance(c.stat, Stat) and c.description for c in COUNTERS)
    assert len({c.id for c in COUNTERS}) == len(COUNTERS)


def test_every_reason_described():
    assert set(REASONS) == set(Reason)
    assert all(REASONS[r] for r in Reason)


def test_existing_ids_unchanged():
    # ids are stored in stats.json files of existing caches: never renamed
    old = ["compilations", "compile_errors", "cache_hits", "cache_misses", "direct_hits", "object_hits",
           "cache_corrupt", "cache_errors", "rewrites_accepted", "rewrites_rejected", "modules_rewritten",
           "modules_instrumented", "modules_unchanged", "fallbacks", "deadline_fallbacks", "time_total_s",
           "time_emit_s", "time_candidates_s", "time_propose_s", "time_rewrite_s", "time_validate_s",
           "time_lower_s"]
    assert set(old) <= {s.value for s in Stat}


def test_bump_takes_members_only(tmp_path):
    st = Stats()
    with pytest.raises(TypeError):
        st.bump("fallbacks")
    with pytest.raises(TypeError):
        st.bump_passthrough("link")
    st.bump(Stat.FALLBACKS)
    st.bump(Stat.TIME_EMIT_S, 0.5)
    st.bump_passthrough(Reason.LINK)
    st.flush(str(tmp_path))
    data = json.loads((tmp_path / "stats.json").read_text())
    assert data["fallbacks"] == 1 and data["time_emit_s"] == 0.5 and data["passthrough"] == {"link": 1}


def test_verdict_kinds_map_to_counters_unknown_is_error():
    from lazycc.validator import Verdict  # the dataclass module only

    for v in Verdict:
        assert stats.verdict_stat(v.value) is not None
    assert stats.verdict_stat("correct") is Stat.VERDICTS_VERIFIED
    assert stats.verdict_stat("no-such-kind") is Stat.VERDICTS_ERROR
    assert {stats.verdict_stat(k) for k in ("correct", "incorrect", "unsupported", "timeout",
                                            "inconclusive", "error")} == {
        c.stat for c in COUNTERS if c.group == "validator"}


def test_readme_counters_table_is_generated():
    text = README.read_text()
    m = re.search(r"<!-- counters:begin[^>]*-->\n(.*?)\n<!-- counters:end -->", text, re.S)
    assert m, "README.md lacks the generated counters table markers"
    assert m.group(1) == stats.markdown_table(), \
        "README counters table drifted: regenerate with `lazycc --show-stats --markdown`"


def _ctx(tmp_path, monkeypatch, outcome):
    from lazycc import config
    from lazycc.driver import compile as comp
    from lazycc.driver.log import Logger

    monkeypatch.setattr(comp, "run_in_child", lambda fn, seconds: outcome)
    monkeypatch.setattr(comp, "_identity", lambda ctx: comp.Identity("c", "p", "q", "v", "b"))
    cfg = config.load({"LAZYCC_DIR": str(tmp_path), "LAZYCC_NOCACHE": "1"})
    return comp, comp.Context(cfg=cfg, clang="clang-22", stats=Stats(), log=Logger(""))


# a module the pre-filter cannot skip (a defined function is called), so the pipeline runs
CALLS = "define void @f() {\n  call void @f()\n  ret void\n}\n"


def test_pipeline_verdicts_are_counted_by_kind(tmp_path, monkeypatch):
    from lazycc.driver.deadline import ChildOutcome, Ending
    from lazycc.ir import IRModule
    from lazycc.pipeline import PipelineResult

    result = PipelineResult(module=IRModule("; rewritten"), accepted_sites=("s1",), verdicts=(
        ("f", "correct", "", 1, 1), ("g", "timeout", "budget", 1, 1), ("h", "no-such-kind", "", 0, 0)))
    comp, ctx = _ctx(tmp_path, monkeypatch, ChildOutcome(Ending.DONE, result))
    got = comp.decide_rewrite(ctx, IRModule(CALLS, name="m.c", opt_level="2"))
    assert got == comp.Rewrite("; rewritten", 1)
    d = ctx.stats.delta
    assert (d["verdicts_verified"], d["verdicts_timeout"], d["verdicts_error"]) == (1, 1, 1)
    assert "fallbacks" not in d


@pytest.mark.parametrize("ending, stat", [("DEADLINE", Stat.DEADLINE_FALLBACKS), ("CRASHED", Stat.FALLBACKS),
                                          ("FAILED", Stat.FALLBACKS)])
def test_pipeline_failures_are_fallback_values(tmp_path, monkeypatch, ending, stat):
    from lazycc.driver.deadline import ChildOutcome, Ending
    from lazycc.ir import IRModule

    comp, ctx = _ctx(tmp_path, monkeypatch, ChildOutcome(Ending[ending], detail="boom"))
    got = comp.decide_rewrite(ctx, IRModule(CALLS, name="m.c", opt_level="2"))
    assert isinstance(got, comp.Fallback) and got.stat is stat
    got.count(ctx.stats)
    assert ctx.stats.delta["fallbacks"] == 1
    assert ctx.stats.delta.get("deadline_fallbacks", 0) == (1 if ending == "DEADLINE" else 0)


def test_prefiltered_module_skips_the_pipeline_and_counts(tmp_path, monkeypatch):
    """No defined function callable: KEEP without a pipeline child, counted once."""
    from lazycc.ir import IRModule

    comp, ctx = _ctx(tmp_path, monkeypatch, None)
    monkeypatch.setattr(comp, "run_in_child", lambda fn, seconds: pytest.fail("the pipeline ran"))
    got = comp.decide_rewrite(ctx, IRModule("define void @f() {\n  ret void\n}\n", name="m.c", opt_level="2"))
    assert got == comp.KEEP
    assert ctx.stats.delta == {"skipped_no_callee": 1}


@pytest.mark.parametrize("bailout, stat", [("budget", Stat.BAILOUT_BUDGET), ("no-safe-site", Stat.BAILOUT_NO_SAFE),
                                           ("nothing-deferred", Stat.BAILOUT_NOTHING_DEFERRED)])
def test_pipeline_bailouts_are_counted(tmp_path, monkeypatch, bailout, stat):
    from lazycc.driver.deadline import ChildOutcome, Ending
    from lazycc.ir import IRModule
    from lazycc.pipeline import PipelineResult

    comp, ctx = _ctx(tmp_path, monkeypatch, ChildOutcome(Ending.DONE, PipelineResult(module=None, bailout=bailout)))
    assert comp.decide_rewrite(ctx, IRModule(CALLS, name="m.c", opt_level="2")) == comp.KEEP
    assert ctx.stats.delta[stat.value] == 1
    assert sum(ctx.stats.delta.get(s.value, 0) for s in (Stat.BAILOUT_BUDGET, Stat.BAILOUT_NO_SAFE,
                                                         Stat.BAILOUT_NOTHING_DEFERRED)) == 1
