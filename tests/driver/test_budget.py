"""The heuristic's per-file work budget: a module over MAX_MODULE_LINES is declined before
the analysis runs (a count, so the same on any machine), its object is clang's own, and the
decision is cached like any other."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lazycc import pipeline, proposer
from lazycc.ir import IRModule
from lazycc.pipeline import PipelineOptions, run_pipeline

RARE_USE = (Path(__file__).resolve().parents[2] / "integration" / "micro" / "rare_use.c").read_text()


def _filler(n: int) -> str:
    """`n` small functions (~40 IR body lines each at -O0) with nothing to defer."""
    return "".join(f"int f{i}(int *p, int n) {{ int s = {i}; for (int j = 0; j < n; j++) "
                   f"s += p[j] * {i} + (p[j] >> {i % 7}) - (s ^ j); return s; }}\n" for i in range(n))


def _emit(tmp_path: Path, code: str, opt: str = "2") -> str:
    src = tmp_path / "m.c"
    src.write_text(code)
    out = tmp_path / "m.ll"
    subprocess.run(["clang-22", f"-O{opt}", "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes", str(src),
                    "-o", str(out)], check=True)
    return out.read_text()


def test_body_lines_counts_instructions_not_debug_records():
    text = ("define i32 @f(i32 %x) {\nentry:\n  %a = add i32 %x, 1\n    #dbg_value(i32 %a, !1, !DIExpression(), !2)\n"
            "  switch i32 %a, label %d [\n    i32 0, label %d\n  ]\nd:\n  ret i32 %a\n}\n")
    assert proposer.body_lines(text) == 5
    assert proposer.over_budget(text, "heuristic") == ""
    assert "budget" in proposer.cache_key("heuristic") and "budget" not in proposer.cache_key("all")


def test_over_budget_module_is_declined_before_the_analysis(tmp_path, monkeypatch):
    text = _emit(tmp_path, RARE_USE)
    mod = IRModule(text=text, name="m.c", opt_level="2")
    within = run_pipeline(mod, PipelineOptions(policy="heuristic"))
    assert within.module is not None and len(within.accepted_sites) == 1, within.verdicts  # worth it

    monkeypatch.setattr(proposer, "MAX_MODULE_LINES", proposer.body_lines(text) - 1)

    def no_analysis(*a, **k):
        raise AssertionError("the analysis ran on a module over the budget")

    monkeypatch.setattr(pipeline.candidates_stage, "find_candidates", no_analysis)
    over = run_pipeline(mod, PipelineOptions(policy="heuristic"))
    assert over.module is None and over.candidates == 0 and over.reproducible
    assert over.notes and "per-file budget" in over.notes[0]
    # other policies are not bounded by the heuristic's budget
    with pytest.raises(AssertionError, match="analysis ran"):
        run_pipeline(mod, PipelineOptions(policy="all"))


def test_driver_declines_a_large_module_and_caches_the_decision(lz):
    """A module over the budget (a rewritable site inside ~104k lines of filler) compiles to
    clang's own object at little more than clang's cost, and the next compile is a hit."""
    lz.write("big.c", RARE_USE + _filler(2600))
    lz.run("-O0", "-c", "big.c", "-o", "big.o")
    log = lz.log.read_text()
    assert "per-file budget" in log and "unchanged (candidates=0" in log, log
    lz.clang("-O0", "-c", "big.c", "-o", "ref.o")
    assert (lz.workdir / "big.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    st = lz.stats()
    assert st["modules_unchanged"] == 1 and st["fallbacks"] == 0 and st["cache_misses"] == 1, st
    lz.run("-O0", "-c", "big.c", "-o", "again.o")  # another output: direct mode misses, the decision hits
    st = lz.stats()
    assert st["cache_hits"] == 1 and st["cache_misses"] == 1, st
    assert (lz.workdir / "again.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
