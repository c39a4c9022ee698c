"""The compiles of a one-step compile-and-link command, in parallel (`cc a.c b.c -o prog`).

Why: lazycc splits such a command into one rewrite-path compile per source plus the link;
run one after another they leave cores idle (sqlite3's testfixture line has ~80 sources).
Each compile runs in a forked child (the driver's state is per process: caches, counters);
at most `job_limit()` at once: the cores, and under GNU make its jobserver (MAKEFLAGS'
`--jobserver-auth=R,W` or `fifo:PATH`, also the older `--jobserver-fds`), so `make -jN`
never has more than N jobs in flight: this process holds make's implicit token and takes
one more token per extra compile, given back when it ends.  Under `make -j1` or a jobserver
whose descriptors were not passed down, the compiles run one at a time (plain `make`, without
-j, is no bound: like a compiler's own threads).
Each child's stderr goes to a file; they are printed in source order, each once its compile
and all earlier ones have finished (as the sequential driver printed them), and a child
reports its exit code, so the link and the exit status are unchanged.
With more than one job at a time the compiles *start* longest first (`order`: the caller's
estimate, the source's size): in testfixture's line the amalgamation sqlite3.c comes last and,
started last, ran alone for ~35 s after the ~80 small compiles had shared both cores.
"""
from __future__ import annotations

import io
import os
import select
import sys
from typing import Callable

from lazycc.driver.client import jobserver_auth, pipe_fds



class Jobserver:
    """A GNU make jobserver client: take a token without blocking, give it back."""

    def __init__(self, read_fd: int, write_fd: int, own_fds: tuple[int, ...]):
        self.read_fd, self.write_fd, self._own = read_fd, write_fd, own_fds

    @classmethod
    def from_makeflags(cls, makeflags: str) -> "Jobserver | None":
        """The jobserver MAKEFLAGS names; None when it names none.  Raises OSError when it
        names one this process cannot use (descriptors not inherited)."""
        auth = jobserver_auth(makeflags)
        if auth is None:
            return None
        if auth.startswith("fifo:"):
            fd = os.open(auth[5:], os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
            return cls(fd, fd, (fd,))
        r, w = pipe_fds(auth)
        # Our own open file description of the pipe: non-blocking reads without changing
        # the flags make and its other children share.
        fd = os.open(f"/proc/self/fd/{r}", os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        return cls(fd, w, (fd,))

    def try_acquire(self) -> bytes | None:
        try:
            token = os.read(self.read_fd, 1)
        except (BlockingIOError, InterruptedError):
            return None
        return token or None

    def release(self, token: bytes) -> None:
        while True:
            try:
                os.write(self.write_fd, token)
                return
            except InterruptedError:
                continue

    def close(self) -> None:
        for fd in self._own:
            try:
                os.close(fd)
            except OSError:
                pass


def job_limit(env, cores: int | None = None) -> tuple[int, Jobserver | None]:
    """(most compiles at once, the jobserver to take tokens from beyond the first).

    The cores bound it; under make, a jobserver bounds it further, an explicit `-jN` without
    one (`-j1`) caps it at N, and a jobserver this process cannot reach (make 4.3 closes its
    pipe for commands it does not treat as recursive) at 1: `make -jN` never gets more than N."""
    if cores is None:
        cores = len(os.sched_getaffinity(0)) or 1
    makeflags = env.get("MAKEFLAGS")
    if makeflags is None:
        return cores, None
    try:
        js = Jobserver.from_makeflags(makeflags)
    except (OSError, ValueError):
        return 1, None
    if js is not None:
        return cores, js
    explicit = [int(w[2:]) for w in makeflags.split() if w.startswith("-j") and w[2:].isdigit()]
    return (min(cores, explicit[-1]) if explicit else cores), None


class _CapturedStderr(io.TextIOWrapper):
    """A child's stderr: a file, but answering isatty() as the user's stderr does (clang's
    colours are chosen from it, see compile._color_flags)."""

    def __init__(self, fd: int, tty: bool):
        super().__init__(io.FileIO(fd, "w", closefd=False), encoding=sys.stderr.encoding,
                         errors=sys.stderr.errors, line_buffering=True)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def run_jobs(count: int, compile_one: Callable[[int], int], workdir: str, env,
             cores: int | None = None, order: list[int] | None = None) -> list[int]:
    """Run compile_one(0..count-1) in forked children; their exit codes in order.
    compile_one runs in the child and must flush what it counts itself.  `order`: the
    indexes in the order to start them when more than one runs at a time (longest first);
    one at a time they run in source order (diagnostics stream as before)."""
    limit, js = job_limit(env, cores)
    starts = list(order) if order is not None and limit > 1 else list(range(count))
    assert sorted(starts) == list(range(count)), "order must be a permutation of the jobs"
    tty = sys.stderr.isatty()
    sys.stdout.flush()
    sys.stderr.flush()
    results: list[int | None] = [None] * count
    running: dict[int, tuple[int, bytes | None, int | None]] = {}  # pid -> (index, token, pidfd)
    implicit_free, started, shown = True, 0, 0
    try:
        while shown < count:
            while started < count and len(running) < limit:
                token = None
                if not implicit_free:
                    if js is not None:
                        token = js.try_acquire()
                        if token is None:
                            break
                    else:
                        token = b""  # no jobserver: bounded by the cores alone
                else:
                    implicit_free = False
                pid = _start(starts[started], compile_one, workdir, tty)
                running[pid] = (starts[started], token, _pidfd(pid))
                started += 1
            _wait(running, js if started < count and len(running) < limit else None)
            for pid in list(running):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done == 0:
                    continue
                index, token, pidfd = running.pop(pid)
                if pidfd is not None:
                    os.close(pidfd)
                if token is None:
                    implicit_free = True
                elif token and js is not None:
                    js.release(token)
                results[index] = _result(workdir, index, status)
            while shown < count and results[shown] is not None:
                _replay(workdir, shown)
                shown += 1
    finally:
        for pid, (_index, token, pidfd) in running.items():  # only after an internal error
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
            if token and js is not None:
                js.release(token)
        if js is not None:
            js.close()
    return [r for r in results if r is not None]


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _wait(running: dict, js: Jobserver | None) -> None:
    """Until a child ends or (when we could start one more) a token is offered."""
    fds = [p for _i, _t, p in running.values() if p is not None]
    if js is not None:
        fds.append(js.read_fd)
    timeout = 1.0 if all(p is not None for _i, _t, p in running.values()) else 0.02
    try:
        select.select(fds, [], [], timeout)
    except InterruptedError:
        pass


def _start(index: int, compile_one: Callable[[int], int], workdir: str, tty: bool) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        fd = os.open(os.path.join(workdir, f"{index}.stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
        sys.stderr = _CapturedStderr(2, tty)
        rc = compile_one(index)
        outcome = str(rc)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which falls back
        outcome = f"error {type(exc).__name__}: {exc}"
    try:
        sys.stderr.flush()
        with open(os.path.join(workdir, f"{index}.rc"), "w") as fh:
            fh.write(outcome)
    except BaseException:  # noqa: BLE001
        code = 1
    os._exit(code)


class ChildFailed(Exception):
    """A compile's child died or raised: the caller falls back as for an internal error."""


def _result(workdir: str, index: int, status: int) -> int:
    try:
        with open(os.path.join(workdir, f"{index}.rc")) as fh:
            text = fh.read()
        return int(text)
    except (OSError, ValueError):
        pass
    raise ChildFailed(f"compile {index}: child ended with status {status} "
                      f"({locals().get('text', 'no result')})")


def _replay(workdir: str, index: int) -> None:
    try:
        with open(os.path.join(workdir, f"{index}.stderr"), "rb") as fh:
            data = fh.read()
    except OSError:
        return
    if data:
        sys.stderr.flush()
        sys.stderr.buffer.write(data)
        sys.stderr.flush()
