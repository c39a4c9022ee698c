"""The compiles of a one-step compile-and-link start longest first when several run at once
(sqlite3's testfixture line lists the amalgamation last: started last, it ran alone at the
end), while diagnostics, exit codes and the link stay in source order."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lazycc.driver import parallel


def _jobs(tmp_path: Path):
    starts = tmp_path / "starts"

    def job(n: int) -> int:
        fd = os.open(starts, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, f"{n}\n".encode())
        os.close(fd)
        time.sleep(0.2)
        sys.stderr.write(f"job {n}\n")
        return 1 if n == 2 else 0

    work = tmp_path / "jobs"
    work.mkdir()
    return job, work, starts


def test_run_jobs_starts_in_the_given_order_and_reports_in_source_order(tmp_path, capfd):
    job, work, starts = _jobs(tmp_path)
    assert parallel.run_jobs(4, job, str(work), {}, cores=2, order=[3, 1, 2, 0]) == [0, 0, 1, 0]
    first_two = starts.read_text().split()[:2]
    assert sorted(first_two) == ["1", "3"], starts.read_text()
    assert capfd.readouterr().err == "job 0\njob 1\njob 2\njob 3\n"


def test_run_jobs_one_at_a_time_keeps_source_order(tmp_path, capfd):
    job, work, starts = _jobs(tmp_path)
    assert parallel.run_jobs(4, job, str(work), {}, cores=1, order=[3, 1, 2, 0]) == [0, 0, 1, 0]
    assert starts.read_text().split() == ["0", "1", "2", "3"]
    assert capfd.readouterr().err == "job 0\njob 1\njob 2\njob 3\n"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the compiles run one at a time")
def test_one_step_link_starts_the_largest_source_first(lz, tmp_path):
    """`lazycc a.c b.c big.c -o prog` (two at a time): big.c starts with the first pair, not
    after a.c or b.c has finished; the program is right. (The front end runs in the IR-emitting
    step or, in direct mode, in the user's own compile that hands back the IR.)"""
    log = tmp_path / "fe.log"
    wrap = tmp_path / "clang"
    wrap.write_text('#!/bin/sh\ncase " $* " in *" -emit-llvm "*|*" -c "*) for a; do case "$a" in *.c) '
                    f'echo "$a" >> {log};; esac; done;; esac\nexec clang-22 "$@"\n')
    wrap.chmod(0o755)
    lz.env["LAZYCC_CLANG"] = str(wrap)
    lz.write("a.c", "int a(int x) { return x + 1; }\n")
    lz.write("b.c", "int b(int x) { return x * 2; }\n")
    filler = "".join(f"static int g{i}(int x) {{ return x * {i} + (x >> {i % 5}); }}\n" for i in range(300))
    uses = " + ".join(f"g{i}(x)" for i in range(300))
    lz.write("big.c", filler + f"int big(int x) {{ return {uses}; }}\n"
             "int a(int); int b(int);\nint main(void) { return a(1) + b(2) - 6 + (big(0) != 0); }\n")
    lz.run("-O1", "a.c", "b.c", "big.c", "-o", "prog")
    assert "big.c" in log.read_text().split()[:2], log.read_text()
    assert subprocess.run([str(lz.workdir / "prog")]).returncode == 0
