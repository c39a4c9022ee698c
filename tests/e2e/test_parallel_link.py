"""One-step compile-and-link commands: their compiles run in parallel (lazycc/driver/parallel.py),
bounded by make's jobserver, with diagnostics in source order and the same link and exit code."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")
from lazycc.driver import client, parallel
from tests.conftest import own_server

N = 5
# A compiler wrapper that logs how many compilers run at once (each start samples the count).
WRAPPER = """#!/bin/sh
d="{dir}"
touch "$d/run.{tag}.$$"
echo "$(ls "$d" | grep -c '^run\\.') $(ls "$d" | grep -c '^run\\.lazycc\\.')" >> "$d/samples"
case " $* " in *" -c "*) sleep 0.4 ;; esac
"{clang}" "$@"
rc=$?
rm -f "$d/run.{tag}.$$"
exit $rc
"""


def _sources(lz) -> list[str]:
    names = []
    for n in range(N):
        lz.write(f"s{n}.c", f"int f{n}(int x) {{ int unused{n}; return x + {n}; }}\n")
        names.append(f"s{n}.c")
    calls = " + ".join(f"f{n}(0)" for n in range(N))
    lz.write("m.c", "".join(f"int f{n}(int);\n" for n in range(N)) + f"int main(void) {{ return {calls} - 10; }}\n")
    return names + ["m.c"]


def _wrapper(lz, tmp_path) -> Path:
    counts = tmp_path / "counts"
    counts.mkdir()
    (tmp_path / "wrapbin").mkdir()
    for tag, name in (("lazycc", "clang-22"), ("other", "other-cc")):  # clang-22: lazycc drives it as clang
        w = tmp_path / "wrapbin" / name
        w.write_text(WRAPPER.format(dir=counts, clang=shutil.which(CLANG), tag=tag))
        w.chmod(0o755)
    lz.env["LAZYCC_CLANG"] = str(tmp_path / "wrapbin" / "clang-22")
    return counts


def _max_concurrency(counts: Path, column: int = 0) -> int:
    """Most compilers seen at once: all of them (column 0) or lazycc's own (column 1)."""
    return max(int(line.split()[column]) for line in (counts / "samples").read_text().splitlines())


@pytest.fixture
def server_on(lz, tmp_path):
    """A compile server of its own (the jobserver pipe then travels with the request)."""
    with own_server(lz, tmp_path):
        yield


@pytest.mark.parametrize("mode", ["in-process", "server"])
def test_make_j2_jobserver_bounds_parallel_compiles_and_order(lz, tmp_path, request, mode):
    if mode == "server":
        request.getfixturevalue("server_on")
    else:
        lz.env["LAZYCC_NOSERVER"] = "1"
    counts = _wrapper(lz, tmp_path)
    srcs = _sources(lz)
    lz.write("o.c", "int other(void) { return 1; }\n")
    exe = Path(lz.env["PATH"].split(os.pathsep)[0]) / "lazycc"
    (lz.workdir / "Makefile").write_text(
        "all: prog o.o\n"
        # `+`: make 4.3 passes its jobserver pipe only to commands it treats as recursive
        f"prog:\n\t+{exe} -Wall -O1 {' '.join(srcs)} -o prog 2> prog.err\n"
        f"o.o:\n\t{tmp_path / 'wrapbin' / 'other-cc'} -c o.c -o o.o\n")
    proc = subprocess.run(["make", "-j2"], cwd=lz.workdir, env=lz.env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "jobserver" not in proc.stderr  # every token given back
    assert _max_concurrency(counts) == 2, "never more than make -j2 allows"
    assert _max_concurrency(counts, 1) == 2, "lazycc's compiles ran in parallel (a token from make)"
    err = (lz.workdir / "prog.err").read_text()
    positions = [err.index(f"unused{n}") for n in range(N)]
    assert positions == sorted(positions), "diagnostics in source order"
    ref = subprocess.run([CLANG, "-Wall", "-O1", *srcs, "-o", "ref"], cwd=lz.workdir, capture_output=True, text=True)
    assert err == ref.stderr
    run = subprocess.run([str(lz.workdir / "prog")])
    assert run.returncode == 0


def test_make_j1_runs_one_compile_at_a_time(lz, tmp_path):
    counts = _wrapper(lz, tmp_path)
    srcs = _sources(lz)
    exe = Path(lz.env["PATH"].split(os.pathsep)[0]) / "lazycc"
    (lz.workdir / "Makefile").write_text(f"prog:\n\t{exe} {' '.join(srcs)} -o prog\n")
    proc = subprocess.run(["make", "-j1"], cwd=lz.workdir, env=lz.env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert _max_concurrency(counts) == 1


def test_failing_compile_keeps_exit_code_and_skips_link(lz, tmp_path):
    srcs = _sources(lz)
    lz.write("s2.c", "int f2(int x) { return x + ; }\n")
    ours = lz.run("-Wall", *srcs, "-o", "prog", check=False)
    ref = lz.clang("-Wall", *srcs, "-o", "ref", check=False)
    assert ours.returncode == ref.returncode != 0
    assert not (lz.workdir / "prog").exists()
    assert ours.stderr == ref.stderr


def test_jobserver_parsing(tmp_path):
    assert parallel.jobserver_auth(" -j2 --jobserver-auth=3,4") == "3,4"
    assert parallel.jobserver_auth("j --jobserver-fds=5,6 --jobserver-auth=fifo:/tmp/x") == "fifo:/tmp/x"
    assert parallel.job_limit({}, cores=4) == (4, None)
    assert parallel.job_limit({"MAKEFLAGS": " -j1"}, cores=4) == (1, None)  # make -j1: one at a time
    assert parallel.job_limit({"MAKEFLAGS": " -j3"}, cores=4) == (3, None)
    assert parallel.job_limit({"MAKEFLAGS": ""}, cores=4) == (4, None)  # plain make: not a bound
    assert parallel.job_limit({"MAKEFLAGS": " -j"}, cores=4) == (4, None)
    assert parallel.job_limit({"MAKEFLAGS": "-j2 --jobserver-auth=900,901"}, cores=4) == (1, None)
    r, w = os.pipe()
    try:
        limit, js = parallel.job_limit({"MAKEFLAGS": f"-j2 --jobserver-auth={r},{w}"}, cores=4)
        assert limit == 4 and js.try_acquire() is None
        os.write(w, b"+")
        assert js.try_acquire() == b"+" and js.try_acquire() is None
        js.release(b"+")
        assert os.read(r, 1) == b"+"
        js.close()
    finally:
        os.close(r)
        os.close(w)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    limit, js = parallel.job_limit({"MAKEFLAGS": f"-j3 --jobserver-auth=fifo:{fifo}"}, cores=2)
    js.release(b"x")
    assert limit == 2 and js.try_acquire() == b"x"
    js.close()


def test_request_carries_jobserver_descriptors():
    req = client.decode_request(client.encode_request(["-c", "a.c"], "lazycc", "/tmp", {"A": "1"}, 0o22, [5, 6]))
    assert req["fds"] == [5, 6] and req["argv"] == ["-c", "a.c"] and req["env"] == {"A": "1"}


def test_run_jobs_orders_stderr_and_keeps_codes(tmp_path, capfd):
    """Later jobs finishing first still print after earlier ones; each job's code is kept."""
    import sys
    import time

    def job(n: int) -> int:
        time.sleep(0.3 * (3 - n))
        sys.stderr.write(f"job {n}\n")
        return n % 2

    work = tmp_path / "jobs"
    work.mkdir()
    assert parallel.run_jobs(4, job, str(work), {}, cores=4) == [0, 1, 0, 1]
    assert capfd.readouterr().err == "job 0\njob 1\njob 2\njob 3\n"


def test_run_jobs_child_failure_raises(tmp_path):
    def job(n: int) -> int:
        if n == 1:
            os._exit(3)  # dies without reporting
        return 0

    work = tmp_path / "jobs"
    work.mkdir()
    with pytest.raises(parallel.ChildFailed):
        parallel.run_jobs(3, job, str(work), {}, cores=2)
