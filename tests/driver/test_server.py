"""The resident compile server (lazycc/driver/server.py): same results as in-process runs.

Each test starts its own server on a private XDG_RUNTIME_DIR and waits for its socket, so
the requests below really go through it (the log's pid differs from the client's).
"""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lazycc.driver import server
from tests.conftest import own_server

PROG = '#include <stdio.h>\nint main(void) { printf("%d\\n", 6 * 7); return 3; }\n'


@pytest.fixture
def srv(lz, tmp_path):
    with own_server(lz, tmp_path) as proc:
        yield proc
    assert not os.path.exists(server.socket_path(lz.env)), "the server removes its socket when it stops"


def _served(lz) -> set[str]:
    """Pids that wrote log lines (workers are children of the server, not the client)."""
    return {line.split("[", 1)[1].split("]", 1)[0] for line in lz.log.read_text().splitlines() if "[" in line}


def test_compile_link_run_through_server(lz, srv):
    lz.write("p.c", PROG)
    client = subprocess.Popen([_exe(), "-O2", "p.c", "-o", "p"], cwd=lz.workdir, env=lz.env)
    assert client.wait(timeout=120) == 0
    assert _served(lz) and str(client.pid) not in _served(lz), "a worker of the server did the work"
    out = subprocess.run([str(lz.workdir / "p")], capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (3, "42\n")
    assert lz.stats()["compilations"] == 1
    assert srv.poll() is None


def test_diagnostics_exit_code_and_no_object(lz, srv):
    lz.write("bad.c", "int f(void) { return undeclared; }\n")
    proc = lz.run("-c", "bad.c", "-o", "bad.o", check=False)
    ref = lz.clang("-c", "bad.c", "-o", "ref.o", check=False)
    assert proc.returncode == ref.returncode != 0
    assert "use of undeclared identifier 'undeclared'" in proc.stderr
    assert proc.stderr.count("error:") == ref.stderr.count("error:")
    assert not (lz.workdir / "bad.o").exists()


def test_stdin_and_stdout_are_the_clients(lz, srv):
    proc = subprocess.run([_exe(), "-x", "c", "-E", "-"],
                          input="#define X 40 + 2\nint v = X;\n", capture_output=True, text=True,
                          cwd=lz.workdir, env=lz.env)
    assert proc.returncode == 0
    assert "int v = 40 + 2;" in proc.stdout


def test_cwd_and_umask_are_the_clients(lz, srv):
    sub = lz.workdir / "sub"
    sub.mkdir()
    (sub / "q.c").write_text("int q(void) { return 1; }\n")
    proc = subprocess.run(["sh", "-c", f"umask 077 && exec {_exe()} -c q.c -o q.o"], cwd=sub, env=lz.env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    mode = stat.S_IMODE((sub / "q.o").stat().st_mode)
    assert mode & 0o077 == 0, oct(mode)


def test_env_of_each_request_is_used(lz, srv):
    lz.write("a.c", "int a(int x) { return x + 1; }\n")
    lz.env["LAZYCC_DISABLE"] = "1"
    lz.run("-c", "a.c", "-o", "a.o")
    assert lz.stats()["passthrough"].get("disabled") == 1
    del lz.env["LAZYCC_DISABLE"]
    lz.run("-c", "a.c", "-o", "a.o")
    assert lz.stats()["compilations"] == 1


def test_signal_death_of_the_compiler_is_the_clients(lz, srv, tmp_path):
    fake = tmp_path / "bin" / "clang-crash"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nkill -SEGV $$\n")
    fake.chmod(0o755)
    lz.env["LAZYCC_CLANG"] = str(fake)
    proc = lz.run("--version-of-nothing", check=False)  # an unknown option: pass-through to the fake
    assert proc.returncode == -signal.SIGSEGV


def test_unreachable_server_runs_in_process_then_one_is_started(lz, tmp_path):
    run = tmp_path / "run2"
    run.mkdir(mode=0o700)
    lz.env["XDG_RUNTIME_DIR"] = str(run)
    lz.env["LAZYCC_SERVER_IDLE"] = "20"
    path = Path(server.socket_path(lz.env))
    path.write_text("")  # a stale file where the socket should be: connect fails
    lz.write("a.c", "int a(void) { return 2; }\n")
    client = subprocess.Popen([_exe(), "-c", "a.c", "-o", "a.o"], cwd=lz.workdir, env=lz.env)
    assert client.wait(timeout=120) == 0
    assert _served(lz) == {str(client.pid)}, "no server: the client compiled by itself"
    ref = lz.clang("-c", "a.c", "-o", "ref.o")
    assert ref.returncode == 0
    assert (lz.workdir / "a.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    try:
        for _ in range(300):  # the client started a server in the background
            if path.is_socket():
                break
            time.sleep(0.05)
        assert path.is_socket()
        client = subprocess.Popen([_exe(), "-c", "a.c", "-o", "b.o"], cwd=lz.workdir, env=lz.env)
        assert client.wait(timeout=120) == 0
        assert len(_served(lz)) == 2 and (lz.workdir / "b.o").exists()
    finally:
        subprocess.run([_exe(), "--stop-server"], env=lz.env, capture_output=True)


def test_request_encoding_round_trips():
    env = {"A": "1", "WEIRD": "x=y\u00e9", "E": ""}
    req = server.decode_request(server.encode_request(["-c", "a b.c", ""], "/bin/lazycc", "/tmp", env, 0o22))
    assert req == {"argv0": "/bin/lazycc", "cwd": "/tmp", "umask": 0o22, "argv": ["-c", "a b.c", ""],
                   "env": env, "fds": []}


def _exe() -> str:
    if os.environ.get("LAZYCC_TEST_EXE"):  # see tests/conftest.py
        return os.environ["LAZYCC_TEST_EXE"]
    exe = Path(sys.executable).with_name("lazycc")
    return str(exe) if exe.exists() else "lazycc"
