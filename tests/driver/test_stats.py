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
