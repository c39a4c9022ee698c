"""LAZYCC_RECORD (issue 10, item 1): one JSON line per compiled module, from real compiles, on
every path: a fresh rewrite, a rewrite-cache hit, a direct-mode hit, a fallback, a compile error
(no record), through the compile server and in-process."""
from __future__ import annotations

import os

import pytest
from projects import PICK_PROGRAM

from lazycc.record import STAGES, STRUCTURE_KEYS, VERDICT_KINDS, read_records

PROGRAM = PICK_PROGRAM


def _write_old(lz, name: str, text: str) -> None:
    """A source older than the compile (a file written this second is never direct-mode stored)."""
    os.utime(lz.write(name, text), (1_000_000_000, 1_000_000_000))


def _records(lz):
    return sorted(read_records(str(lz.workdir / "rec")), key=lambda r: r.time)


@pytest.mark.parametrize("server", [False, True], ids=["in-process", "server"])
def test_records_of_fresh_cached_and_direct_compiles(lz, server):
    _write_old(lz, "p.c", PROGRAM)
    lz.env.update(LAZYCC_POLICY="all", LAZYCC_RECORD=str(lz.workdir / "rec"))
    if not server:
        lz.env["LAZYCC_NOSERVER"] = "1"
    lz.run("-O2", "-c", "p.c", "-o", "a.o")
    (fresh,) = _records(lz)
    assert fresh.schema == 1 and fresh.outcome == "rewritten" and fresh.cache == "miss"
    assert fresh.source == str(lz.workdir / "p.c") and fresh.output == str(lz.workdir / "a.o")
    assert fresh.policy == "all" and fresh.opt_level == "2" and "-O2" in fresh.flags
    assert fresh.candidates >= fresh.safe >= fresh.deferred >= 1 and fresh.fallback is None
    assert set(fresh.verdicts) == set(VERDICT_KINDS) and fresh.verdicts["verified"] >= 1
    main = fresh.functions["main"]
    assert main["deferred"] >= 1 and main["tries"] >= 1 and main["first_try_failed"] is False
    assert sum(f["deferred"] for f in fresh.functions.values()) == fresh.deferred
    assert set(fresh.stages) == set(STAGES)
    for stage in STAGES:
        assert fresh.stages[stage]["wall_s"] >= 0 and fresh.stages[stage]["cpu_s"] >= 0
    # the total covers the stages; the validator's CPU is the pipeline child's, measured there
    assert fresh.stages["total"]["wall_s"] >= fresh.stages["validate"]["wall_s"] > 0
    assert fresh.stages["validate"]["cpu_s"] > 0
    before, after = fresh.structure["before"], fresh.structure["after"]
    assert set(before) == set(after) == set(STRUCTURE_KEYS)
    # the lowered module has the clone and the force function; its lines may be fewer than the
    # emitted module's (at -O2 the rewrite applies after early simplification)
    assert after["functions"] >= before["functions"] + 2

    # same IR, other flags that do not change it: a rewrite-cache hit replays the decision
    lz.run("-O2", "-DUNUSED_MACRO=1", "-c", "p.c", "-o", "b.o")
    hit = _records(lz)[-1]
    assert hit.cache == "rewrite-hit" and hit.outcome == "rewritten"
    assert (hit.deferred, hit.functions, hit.verdicts) == (fresh.deferred, fresh.functions, fresh.verdicts)
    assert "validate" not in hit.stages

    # the very same compile again: a direct-mode hit (no decision, no structure)
    lz.run("-O2", "-DUNUSED_MACRO=1", "-c", "p.c", "-o", "b.o")
    direct = _records(lz)[-1]
    assert direct.cache == "direct-hit" and direct.outcome == "cached" and not direct.structure
    assert len(_records(lz)) == 3


def test_record_of_a_fallback_and_none_of_a_compile_error(lz):
    lz.write("p.c", PROGRAM)
    lz.write("bad.c", "int main(void) { return undeclared; }\n")
    lz.env.update(LAZYCC_POLICY="all", LAZYCC_NOSERVER="1", LAZYCC_TEST_STALL="crash",
                  LAZYCC_RECORD=str(lz.workdir / "rec"))
    lz.run("-O2", "-c", "p.c", "-o", "a.o")
    assert lz.run("-O2", "-c", "bad.c", "-o", "bad.o", check=False).returncode != 0
    (rec,) = _records(lz)
    assert rec.outcome == "fallback" and "crash" in rec.fallback and rec.source.endswith("p.c")
    assert rec.structure["after"] == rec.structure["before"]


def test_no_record_without_the_setting(lz):
    lz.write("p.c", PROGRAM)
    lz.env.update(LAZYCC_POLICY="all", LAZYCC_NOSERVER="1")
    lz.run("-O2", "-c", "p.c", "-o", "a.o")
    assert not (lz.workdir / "rec").exists()
