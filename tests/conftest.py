"""Shared fixtures: a real clang, a fresh LAZYCC_DIR per test, and the lazycc CLI."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")


def lazycc_exe() -> str:
    """The installed entry point; LAZYCC_TEST_EXE runs the suite with another one (e.g. the
    native client built by `make native`, to check it against the same scenarios)."""
    if os.environ.get("LAZYCC_TEST_EXE"):
        return os.environ["LAZYCC_TEST_EXE"]
    exe = Path(sys.executable).with_name("lazycc")
    return str(exe) if exe.exists() else (shutil.which("lazycc") or "lazycc")


@dataclass
class LazyccEnv:
    """A tmp workdir + cache dir + log, and helpers that run lazycc/clang there."""

    workdir: Path
    cache_dir: Path
    log: Path
    env: dict = field(default_factory=dict)

    def run(self, *args: str, check: bool = True, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
        proc = subprocess.run([lazycc_exe(), *args], cwd=cwd or self.workdir, env=self.env,
                              capture_output=True, text=True, **kw)
        if check and proc.returncode != 0:
            raise AssertionError(f"lazycc {' '.join(args)} exited {proc.returncode}\n{proc.stderr}")
        return proc

    def clang(self, *args: str, check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess:
        proc = subprocess.run([CLANG, *args], cwd=cwd or self.workdir, env=self.env,
                              capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"clang {' '.join(args)} exited {proc.returncode}\n{proc.stderr}")
        return proc

    def stats(self) -> dict:
        return json.loads(self.run("--show-stats", "--json").stdout)

    def write(self, name: str, text: str) -> Path:
        p = self.workdir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return p


@pytest.fixture
def lz(tmp_path, request):
    if shutil.which(CLANG) is None:
        pytest.skip(f"{CLANG} not installed")
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("LAZYCC_") and k not in ("LAZYCC_CLANG", "LAZYCC_SERVER_IDLE"):
            del env[k]
    env.update(LAZYCC_DIR=str(tmp_path / "cache"), LAZYCC_LOG=str(tmp_path / "lazycc.log"))
    env["PATH"] = os.path.dirname(lazycc_exe()) + os.pathsep + env.get("PATH", "")
    e = LazyccEnv(workdir=work, cache_dir=tmp_path / "cache", log=tmp_path / "lazycc.log", env=env)
    yield e
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed and e.log.exists():
        sys.stderr.write("---- lazycc log ----\n" + e.log.read_text()[-20000:])


def pytest_sessionfinish(session, exitstatus):
    """Leave no resident compile server behind (lazycc starts one on demand)."""
    try:
        subprocess.run([lazycc_exe(), "--stop-server"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        pass


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@contextmanager
def own_server(lz, tmp_path):
    """A compile server of the test's own (its socket under tmp_path/run), stopped at the end;
    yields the process. Fails the test if it does not come up."""
    from lazycc.driver import client

    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    lz.env["XDG_RUNTIME_DIR"] = str(run)
    proc = subprocess.Popen([sys.executable, "-m", "lazycc.driver.server", "--serve"], env=lz.env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    path = client.socket_path(lz.env)
    for _ in range(300):
        if os.path.exists(path):
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail(f"server did not start: {proc.stderr.read().decode()}")
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
