"""Lazification through the driver: rewrites happen, are verified, pay, and never change output."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

MICRO = Path(__file__).resolve().parents[2] / "integration" / "micro"


def _run(exe: Path, *args: str) -> str:
    return subprocess.run([str(exe), *args], capture_output=True, text=True, check=True).stdout


def _instructions(exe: Path, *args: str) -> int:
    """Instructions the program executes (valgrind's count: the same on an idle and a busy machine)."""
    p = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                        str(exe), *args], capture_output=True, text=True, check=True, timeout=600)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", p.stderr).group(1).replace(",", ""))


def _build_both(lz, src: Path, *opt: str) -> tuple[Path, Path]:
    lz.run(*opt, "-c", str(src), "-o", "lz.o")
    lz.run(*opt, "lz.o", "-o", "lz.exe")
    lz.clang(*opt, str(src), "-o", "ref.exe")
    return lz.workdir / "lz.exe", lz.workdir / "ref.exe"


@pytest.mark.parametrize("opt", ["-O0", "-O2", "-O2 -g"])
def test_rare_use_is_rewritten_verified_and_faster(lz, opt):
    lazy, ref = _build_both(lz, MICRO / "rare_use.c", *opt.split())
    st = lz.stats()
    assert st["modules_rewritten"] == 1 and st["rewrites_accepted"] >= 1
    assert st["fallbacks"] == 0 and st["rewrites_rejected"] == 0
    assert "validator: @main: correct" in lz.log.read_text()
    assert _run(lazy, "20000") == _run(ref, "20000")
    if shutil.which("valgrind"):  # `make test` installs it; a count, not a wall-clock race
        n_ref, n_lazy = _instructions(ref, "2000"), _instructions(lazy, "2000")
        assert n_lazy * 3 < n_ref, (n_lazy, n_ref)


@pytest.mark.parametrize("name", ["always_used.c", "two_args.c", "mostly_used.c"])
def test_outputs_never_change(lz, name):
    lazy, ref = _build_both(lz, MICRO / name, "-O2")
    assert _run(lazy, "3000") == _run(ref, "3000")
    assert lz.stats()["fallbacks"] == 0


def test_always_used_argument_is_declined(lz):
    _build_both(lz, MICRO / "always_used.c", "-O2")
    st = lz.stats()
    assert st["modules_rewritten"] == 0 and st["modules_unchanged"] == 1


def test_profile_generate_then_use(lz):
    """Instrumented build → run → profile-guided build declines what the profile says is always used."""
    prof = lz.workdir / "run.prof"
    lz.env["LAZYCC_PROFILE_GENERATE"] = str(prof)
    src = MICRO / "mostly_used.c"
    lz.run("-O2", str(src), "-o", "instr.exe")
    assert lz.stats()["modules_instrumented"] == 1
    ref = lz.workdir / "ref.exe"
    lz.clang("-O2", str(src), "-o", str(ref))
    assert _run(lz.workdir / "instr.exe", "3000") == _run(ref, "3000")
    lines = prof.read_text().split()
    assert len(lines) >= 3 and int(lines[1]) > 0  # "<site id> <calls> <uses>"
    del lz.env["LAZYCC_PROFILE_GENERATE"]
    lz.env["LAZYCC_PROFILE_USE"] = str(prof)
    assert "(environment) policy = profile" in lz.run("--show-config").stdout
    lz.run("-O2", str(src), "-o", "pgo.exe")
    assert _run(lz.workdir / "pgo.exe", "3000") == _run(ref, "3000")
    st = lz.stats()
    assert st["modules_rewritten"] == 0  # used in 99.9% of calls: the profile policy declines
    rare = lz.workdir / "rare.prof"
    lz.env.pop("LAZYCC_PROFILE_USE")
    lz.env["LAZYCC_PROFILE_GENERATE"] = str(rare)
    lz.run("-O2", str(MICRO / "rare_use.c"), "-o", "instr2.exe")
    _run(lz.workdir / "instr2.exe", "3000")
    del lz.env["LAZYCC_PROFILE_GENERATE"]
    lz.env["LAZYCC_PROFILE_USE"] = str(rare)
    lz.run("-O2", str(MICRO / "rare_use.c"), "-o", "pgo2.exe")
    assert lz.stats()["modules_rewritten"] == 1
