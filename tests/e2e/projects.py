"""Helpers shared by the real-project tests: find a Debian source tree, run build steps."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
JOBS = os.environ.get("LAZYCC_TEST_JOBS", "2")  # the machine has 2 cores, shared


def corpus_tree(name: str, *markers: str) -> Path:
    """Unpacked tree of Debian source package `name` holding one of `markers`, or skip (fail under CI).

    Looked for in $LAZYCC_CORPUS_DIR (DIR/name or DIR/name-*), then integration/corpus/name.
    """
    markers = markers or ("configure", "Makefile")
    candidates = []
    user = os.environ.get("LAZYCC_CORPUS_DIR")
    if user:
        base = Path(user)
        candidates += [base / name, *sorted(base.glob(f"{name}-*"))]
    candidates.append(REPO / "integration" / "corpus" / name)
    for c in candidates:
        if c.is_dir() and any((c / m).exists() for m in markers):
            return c.resolve()
    msg = (f"corpus {name!r} not found (looked in {', '.join(map(str, candidates))}); "
           f"run integration/fetch_corpus.sh or set LAZYCC_CORPUS_DIR")
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed")


def sh(cmd: list[str] | str, cwd: Path, env: dict, log: Path, timeout: float = 900) -> str:
    """Run a build/test step; its output goes to `log`, and its tail into the failure message."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, shell=isinstance(cmd, str), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace", timeout=timeout)
    with open(log, "a") as fh:
        fh.write(f"$ {cmd if isinstance(cmd, str) else ' '.join(cmd)}\n{proc.stdout}\n")
    if proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode} in {cwd}:\n{proc.stdout[-6000:]}")
    return proc.stdout


def lazycc_cc(lz) -> str:
    """The lazycc executable the `lz` fixture's PATH finds."""
    return shutil.which("lazycc", path=lz.env["PATH"]) or "lazycc"


class CpuHog:
    """`n` busy processes (more than the cores): the 'loaded machine' of the deadline and
    reproducibility tests. A context manager; the processes die with it."""

    def __init__(self, n: int = 2 * (os.cpu_count() or 2)):
        self.n = n
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> "CpuHog":
        import sys

        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(self.n)]
        return self

    def __exit__(self, *exc) -> None:
        for p in self.procs:
            p.kill()
        for p in self.procs:
            p.wait()


# `pick` uses `v` only when flag == 3: a safe site every policy defers (the costly loop);
# the deadline and record tests compile it
PICK_PROGRAM = r'''
#include <stdio.h>
static long costly(long n) { long s = 0; for (long i = 0; i < n; i++) s += i * i % 7; return s; }
long pick(long flag, long v) { return flag == 3 ? v : flag; }
int main(void) {
    long total = 0;
    for (long i = 0; i < 200; i++) total += pick(i % 50, costly(i));
    printf("%ld\n", total);
    return 0;
}
'''
