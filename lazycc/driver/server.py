"""Fork server: a resident lazycc that has already imported everything (sccache's idea).

Why: a Python driver pays interpreter start-up and imports (~50-70 ms) on every compile,
which is most of lazycc's overhead on a cold build without rewrites.  With the server,
`lazycc` is a thin client: it connects to a Unix socket, hands over its argv, cwd,
environment, umask and its stdin/stdout/stderr file descriptors (SCM_RIGHTS), and waits.
The server forks a *supervisor* per request, which forks the *worker*: a fresh child of a
process that has imported lazycc and done nothing else.  The worker takes the client's
cwd, environment, umask and fds and runs exactly the code an in-process invocation would
run (`cli.main`), including exec'ing clang for a pass-through; the supervisor reports the
worker's wait status, which the client turns into its own exit status.

Never break a build: if there is no server, it refuses the connection, or it goes away
before the worker has been started, the client runs the invocation in-process as before
(and starts a server in the background for the next ones).  `LAZYCC_NOSERVER` (or
`noserver = true` in lazycc.conf) turns it off.  The server exits after `LAZYCC_SERVER_IDLE`
seconds without a request, and a server started from other lazycc code (another version,
an edited checkout, another Python) is never used: the socket name carries a digest of it.

The client half (what every invocation runs before anything else, so it stays import-light)
is `driver/client.py`; the CLI calls only the client, and the server runs the CLI in its
workers (one way: cli -> client, server -> client and cli).
"""
from __future__ import annotations

import os
import struct
import sys

from lazycc.driver.client import (_MAGIC, _MAX_REQUEST, _STATUS, DEFAULT_IDLE_S, NoServer,  # noqa: F401
                                  code_id, decode_request, disabled, encode_request, request,
                                  socket_path, spawn, stop, _usable)


_MAX_FDS = 5  # stdin, stdout, stderr and make's jobserver pipe (two ends)

# ---------------------------------------------------------------- server


def _preload() -> None:
    """Import what any invocation needs, so that workers start with it in memory."""
    import lazycc.cli  # noqa: F401
    import lazycc.config  # noqa: F401
    import lazycc.config_source  # noqa: F401
    import lazycc.driver.client  # noqa: F401
    import lazycc.driver.classify  # noqa: F401
    import lazycc.driver.compile  # noqa: F401
    import lazycc.driver.log  # noqa: F401
    import lazycc.stats  # noqa: F401
    try:  # the native client's code stamp: walked once here, not by every worker
        from lazycc.driver import fastpath

        fastpath.code_stamp()
    except OSError:
        pass
    try:  # the rewrite pipeline (z3, llvmlite): what a cold compile with rewrites pays most for
        import lazycc.pipeline  # noqa: F401
        import lazycc.candidates.analysis  # noqa: F401
        import lazycc.proposer  # noqa: F401
        import lazycc.rewriter  # noqa: F401
        import lazycc.validator.harness  # noqa: F401
        import lazycc.validator.refine  # noqa: F401
        from lazycc import ir

        ir.preload()   # llvmlite: the candidate analysis reads value types through it
        import diskcache  # noqa: F401  (the local cache, opened by every cold compile)
    except Exception:  # noqa: BLE001 - workers import what they need themselves
        pass


def serve(idle_s: float = DEFAULT_IDLE_S) -> int:
    import fcntl
    import signal
    import socket

    env = os.environ
    cid = code_id()
    path = socket_path(env, cid)
    if not _usable(path):
        return 1
    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another server for the same code is starting or running
    _preload()
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(64)
    srv.settimeout(idle_s)
    with open(path + ".pid", "w") as fh:
        fh.write(f"{os.getpid()}\n")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # supervisors are reaped by the kernel

    def _term(_signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _term)
    try:
        while True:
            try:
                conn, _ = srv.accept()
            except socket.timeout:
                break
            if code_id() != cid:
                conn.close()  # lazycc changed under us: refuse, clients run in-process
                break
            if os.fork() == 0:
                srv.close()
                os.close(lock)
                _supervise(conn)  # never returns
            conn.close()
    finally:
        for f in (path, path + ".pid"):
            try:
                os.unlink(f)
            except OSError:
                pass
        srv.close()
    return 0


def _supervise(conn) -> None:
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    code = 1
    try:
        conn.settimeout(30)
        req, fds = _recv_request(conn)
        conn.settimeout(None)
        pid = os.fork()
        if pid == 0:
            conn.close()
            _work(req, fds)  # never returns
        for fd in fds:
            os.close(fd)
        conn.sendall(_STATUS.pack(0, pid))
        _, status = os.waitpid(pid, 0)
        conn.sendall(_STATUS.pack(1, status))
        code = 0
    except BaseException:  # noqa: BLE001 - a supervisor must never outlive its request
        pass
    finally:
        os._exit(code)


def _recv_request(conn) -> tuple[dict, list[int]]:
    import array
    import socket

    fds = array.array("i")
    msg, anc, _flags, _addr = conn.recvmsg(4, socket.CMSG_LEN(_MAX_FDS * fds.itemsize))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    if len(msg) < 4 or not 3 <= len(fds) <= _MAX_FDS:
        for fd in fds:
            os.close(fd)
        raise ValueError("bad request header")
    (n,) = struct.unpack("!I", msg[:4] if len(msg) >= 4 else msg + conn.recv(4 - len(msg)))
    if n > _MAX_REQUEST:
        raise ValueError("request too large")
    body = b""
    while len(body) < n:
        chunk = conn.recv(n - len(body))
        if not chunk:
            raise ValueError("truncated request")
        body += chunk
    req = decode_request(body)
    if len(fds) != 3 + len(req["fds"]):
        for fd in fds:
            os.close(fd)
        raise ValueError("descriptors do not match the request")
    return req, list(fds)


def _work(req: dict, fds: list[int]) -> None:
    """Become the client's process: its fds (stdio, and make's jobserver pipe at the client's
    numbers), cwd, environment, umask and argv; then main()."""
    import fcntl
    import signal

    code = 1
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # Out of the way first: a received descriptor may sit on a number another one goes to.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 256) for fd in fds]
        for fd in fds:
            os.close(fd)
        for target, fd in zip([0, 1, 2, *req["fds"]], high):
            os.dup2(fd, target)  # inheritable, as in the client
            os.close(fd)
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        os.umask(req["umask"])
        sys.argv = [req["argv0"], *req["argv"]]
        from lazycc import cli

        code = cli.run(in_server=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001
        import traceback

        traceback.print_exc()
    finally:
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code if isinstance(code, int) else 1)


def _idle_setting() -> float:
    try:
        from lazycc import config

        return float(config.load().server_idle)
    except Exception:  # noqa: BLE001 - a bad setting is reported by the compiles themselves
        return DEFAULT_IDLE_S


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        sys.exit(serve(_idle_setting()))
    sys.exit(2)
