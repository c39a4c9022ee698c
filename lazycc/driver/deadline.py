"""Run one step of a compile in a child process that is killed at its deadline.

A SIGALRM that raises a Python exception cannot stop a thread that sits in C
(a z3 query, llvmlite, a wait on a subprocess): a compile could overrun its
deadline by minutes on a loaded machine. A forked child can always be
stopped: at the deadline its whole process group (the `opt` runs it started
included) gets SIGKILL and the caller falls back. The child also shields the
caller from crashes in native code (a segfault in a solver is a fallback, not
a failed build).

The result travels back pickled through a pipe; the child never touches the
caller's cache, stats or stdio (it leaves with os._exit).
"""
from __future__ import annotations

import enum
import os
import pickle
import select
import signal
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable


class Ending(enum.Enum):
    DONE = "done"                # the function returned: `value` holds its result
    FAILED = "failed"            # it raised: `detail` holds the exception
    DEADLINE = "deadline"        # killed at the deadline
    CRASHED = "crashed"          # died without an answer (signal, native crash, bad pickle)


@dataclass(frozen=True)
class ChildOutcome:
    ending: Ending
    value: Any = None
    detail: str = ""
    seconds: float = 0.0


def run_in_child(fn: Callable[[], Any], seconds: float) -> ChildOutcome:
    """`fn()` in a forked child, stopped for certain after `seconds` (<= 0: no limit)."""
    t0 = time.monotonic()
    parent = os.getpid()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(fn, write_fd, parent)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)  # the child does it too: whichever runs first
    except OSError:
        pass
    deadline = t0 + seconds if seconds > 0 else None
    chunks: list[bytes] = []
    finished = False
    try:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                data = os.read(read_fd, 1 << 20)
                if not data:
                    finished = True
                    break
                chunks.append(data)
    finally:
        os.close(read_fd)
        if not finished:  # the deadline, or the caller was interrupted
            _kill_group(pid)
        status = _reap(pid)
    took = time.monotonic() - t0
    if not finished:
        return ChildOutcome(Ending.DEADLINE, detail=f"killed after {seconds:g} s", seconds=took)
    try:
        kind, payload = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - no complete answer: the child died
        return ChildOutcome(Ending.CRASHED, detail=_describe(status), seconds=took)
    if kind == "ok":
        return ChildOutcome(Ending.DONE, value=payload, seconds=took)
    return ChildOutcome(Ending.FAILED, detail=payload, seconds=took)


def _child(fn: Callable[[], Any], write_fd: int, parent: int) -> None:
    """Body of the child: never returns."""
    try:
        os.setpgid(0, 0)
        _die_with_parent(parent)
        null = os.open(os.devnull, os.O_RDWR)  # native libraries' messages are not the user's diagnostics
        os.dup2(null, 1)
        os.dup2(null, 2)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, 0)
        _test_stall()
        try:
            payload = pickle.dumps(("ok", fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as FAILED
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view):]
    finally:
        os._exit(0)


def _die_with_parent(parent: int) -> None:
    """SIGKILL this child when the compile that started it dies (Linux; best effort)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _kill_group(pid: int) -> None:
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
            return
        except OSError:
            continue


def _reap(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exited {os.WEXITSTATUS(status)} without an answer"


def _test_stall() -> None:
    """LAZYCC_TEST_STALL=native|spin|crash makes the child block inside C with every
    signal blocked, spin in Python, or crash (the deadline and crash tests)."""
    how = os.environ.get("LAZYCC_TEST_STALL", "")
    if how == "native":
        import ctypes

        signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})
        ctypes.CDLL(None).sleep(3600)
    elif how == "spin":
        while True:
            pass
    elif how == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
