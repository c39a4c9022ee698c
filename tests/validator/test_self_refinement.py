"""Every function refines itself: `lazycc-tv M M` on real modules must never say incorrect.

A false "incorrect" on an identical pair rejects correct rewrites of every caller that
contains the same pattern (cJSON: 14 of 112 functions were "incorrect" against themselves
when a call's result was taken to carry the provenance of a `captures(address_is_null)`
argument).  The modules are the ones the engine rewrites: clang's module after the early
simplification (`candidates.prepared_module`).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lazycc.candidates import prepared_module
from lazycc.ir import IRModule
from tests.e2e.projects import corpus_tree

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = [ROOT / "integration" / "micro" / n for n in ("rare_use.c", "two_args.c", "mostly_used.c")]


def early_module(src: Path, tmp: Path, *include: Path) -> Path:
    raw = tmp / (src.stem + ".raw.ll")
    subprocess.run(["clang-22", "-O2", "-w", *(f"-I{d}" for d in include), "-S", "-emit-llvm",
                    "-Xclang", "-disable-llvm-passes", str(src), "-o", str(raw)], check=True)
    mod = prepared_module(IRModule(text=raw.read_text(), name=str(src), opt_level="2"), "early")
    out = tmp / (src.stem + ".ll")
    out.write_text(mod.text)
    return out


def self_check(ll: Path) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "lazycc.validator.cli", "--json", "--timeout-ms", "2000",
                           str(ll), str(ll)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["results"]


@pytest.mark.parametrize("src", PROGRAMS, ids=lambda p: p.name)
def test_micro_program_refines_itself(src: Path, tmp_path: Path) -> None:
    rows = self_check(early_module(src, tmp_path))
    assert rows
    assert [r["src"] for r in rows if r["verdict"] == "incorrect"] == []
    assert sum(r["verdict"] == "correct" for r in rows) >= len(rows) - 1


def test_cjson_refines_itself(tmp_path: Path) -> None:
    tree = corpus_tree("cjson", "cJSON.c")
    rows = self_check(early_module(tree / "cJSON.c", tmp_path, tree))
    bad = [(r["src"].split("(")[0], r["reason"]) for r in rows if r["verdict"] == "incorrect"]
    assert bad == []
    # 98 of 112 proved at this bound when measured; the rest are unsupported or time out
    assert sum(r["verdict"] == "correct" for r in rows) >= 0.8 * len(rows)
