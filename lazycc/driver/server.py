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

This module is imported by every invocation before anything else: keep its imports light.
"""
from __future__ import annotations

import os
import struct
import sys

# The client uses _socket, the C module behind `socket` (whose import costs ~6 ms: enum,
# selectors); the server side imports `socket` itself.
import _socket

_STATUS = struct.Struct("!ii")  # (kind, value): kind 0 = worker pid, 1 = wait status
_MAX_REQUEST = 1 << 22
DEFAULT_IDLE_S = 300.0


def _package_dir() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _digest(text: str) -> str:
    # zlib, not hashlib: hashlib loads OpenSSL (~4 ms), more than a whole request costs.
    import zlib

    data = text.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data) & 0xffff:04x}"


def code_id() -> str:
    """Digest of what a server would run: the interpreter and every lazycc source's mtime/size."""
    from lazycc import __version__

    root = _package_dir()
    parts = [__version__, os.path.realpath(sys.executable), sys.version, sys.prefix, root]
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        for f in sorted(files):
            if f.endswith(".py"):
                st = os.stat(os.path.join(d, f))
                parts.append(f"{os.path.relpath(os.path.join(d, f), root)}:{st.st_mtime_ns}:{st.st_size}")
    return _digest("\0".join(parts))


def _cache_dir(env) -> str:
    d = env.get("LAZYCC_DIR")
    if d:
        return os.path.expanduser(d)
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lazycc")


def disabled(env) -> bool:
    """LAZYCC_NOSERVER set, or `noserver = true|yes|on|1` in $LAZYCC_DIR/lazycc.conf."""
    if "LAZYCC_NOSERVER" in env:
        return True
    try:
        with open(os.path.join(_cache_dir(env), "lazycc.conf"), encoding="utf-8") as fh:
            for line in fh:
                key, sep, value = line.partition("=")
                if sep and key.strip() == "noserver":
                    return value.strip().lower() in ("1", "true", "yes", "on")
    except OSError:
        pass
    return False


def socket_path(env, cid: str | None = None) -> str:
    """Per user and code id (settings and the cache dir come with each request), in a
    private directory (mode 0700)."""
    run = env.get("XDG_RUNTIME_DIR")
    if not run or not os.path.isdir(run):
        run = os.path.join(env.get("TMPDIR") or "/tmp", f"lazycc-{os.getuid()}")
    return os.path.join(run, f"lazycc-{cid or code_id()}.sock")


def _usable(path: str) -> bool:
    """A socket path short enough for AF_UNIX, in a directory only we can write."""
    return len(path.encode()) < 108 and _private_dir(path)  # sun_path: 108 bytes with the NUL


def _private_dir(path: str) -> bool:
    d = os.path.dirname(path)
    try:
        os.makedirs(d, 0o700, exist_ok=True)
        st = os.stat(d)
    except OSError:
        return False
    # Someone else's directory, or one others may write: never talk through it.
    return st.st_uid == os.getuid() and not (st.st_mode & 0o022)


# ---------------------------------------------------------------- client


class NoServer(Exception):
    """The request was not handed over: run in-process (nothing has happened yet)."""


def request(argv: list[str], env=None) -> int:
    """Run this invocation in the server; its exit status.  Raises NoServer when it cannot."""
    env = os.environ if env is None else env
    path = socket_path(env)
    if not _usable(path):
        raise NoServer("no usable socket path")
    s = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as exc:
        s.close()
        raise NoServer(str(exc)) from exc
    umask = os.umask(0)
    os.umask(umask)
    payload = encode_request(argv, sys.argv[0], os.getcwd(), env, umask)
    try:
        s.sendmsg([struct.pack("!I", len(payload)), payload],
                  [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack("3i", 0, 1, 2))])
        kind, pid = _recv_status(s)
    except (OSError, ValueError) as exc:
        s.close()
        raise NoServer(f"handover failed: {exc}") from exc
    if kind != 0:
        s.close()
        raise NoServer("unexpected reply")
    # From here the worker runs: its status is ours.  Signals meant for us go to it.
    import _signal as signal  # the C module: `signal` imports enum (~3 ms)

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, forward)
    try:
        kind, status = _recv_status(s)
    except (OSError, ValueError):
        return 1  # the supervisor died: the worker's outcome is unknown (never seen in practice)
    finally:
        s.close()
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # killed by a signal: die the same way, as the compiler would have
        signal.signal(-code, signal.SIG_DFL)
        sys.stdout.flush()
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


_MAGIC = b"lazycc-request-1"


def encode_request(argv: list[str], argv0: str, cwd: str, env, umask: int) -> bytes:
    """NUL-separated fields (no json import on the client): magic, argv0, cwd, umask, argc,
    argv..., then `key=value` environment entries."""
    fields = [_MAGIC, os.fsencode(argv0), os.fsencode(cwd), str(umask).encode(), str(len(argv)).encode(),
              *map(os.fsencode, argv), *(os.fsencode(k) + b"=" + os.fsencode(v) for k, v in env.items())]
    return b"\0".join(fields)


def decode_request(data: bytes) -> dict:
    fields = data.split(b"\0")
    if fields[0] != _MAGIC:
        raise ValueError("not a lazycc request")
    argc = int(fields[4])
    env = {}
    for entry in fields[5 + argc:]:
        k, _, v = entry.partition(b"=")
        env[os.fsdecode(k)] = os.fsdecode(v)
    return {"argv0": os.fsdecode(fields[1]), "cwd": os.fsdecode(fields[2]), "umask": int(fields[3]),
            "argv": [os.fsdecode(a) for a in fields[5:5 + argc]], "env": env}


def _recv_status(s) -> tuple[int, int]:
    buf = b""
    while len(buf) < _STATUS.size:
        chunk = s.recv(_STATUS.size - len(buf))
        if not chunk:
            raise ValueError("connection closed")
        buf += chunk
    return _STATUS.unpack(buf)


def spawn(env=None) -> None:
    """Start a server in the background for later invocations (best effort, never waits).
    At most one attempt per few seconds, so a server that cannot start costs little."""
    env = dict(os.environ if env is None else env)
    try:
        import time

        path = socket_path(env)
        if not _usable(path):
            return
        stamp = path + ".spawned"
        try:
            if time.time() - os.stat(stamp).st_mtime < 5:
                return
        except FileNotFoundError:
            pass
        with open(stamp, "w"):
            pass
        import subprocess

        subprocess.Popen([sys.executable, "-m", "lazycc.driver.server", "--serve"], env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         close_fds=True, start_new_session=True, cwd="/")
    except OSError:
        pass


# ---------------------------------------------------------------- server


def _preload() -> None:
    """Import what any invocation needs, so that workers start with it in memory."""
    import lazycc.cli  # noqa: F401
    import lazycc.config  # noqa: F401
    import lazycc.driver.classify  # noqa: F401
    import lazycc.driver.compile  # noqa: F401
    import lazycc.driver.log  # noqa: F401
    import lazycc.stats  # noqa: F401
    try:  # the rewrite pipeline (z3, llvmlite): what a cold compile with rewrites pays most for
        import lazycc.pipeline  # noqa: F401
        import lazycc.candidates.analysis  # noqa: F401
        import lazycc.proposer  # noqa: F401
        import lazycc.rewriter  # noqa: F401
        import lazycc.validator.harness  # noqa: F401
        import lazycc.validator.refine  # noqa: F401
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
    msg, anc, _flags, _addr = conn.recvmsg(4, socket.CMSG_LEN(3 * fds.itemsize))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    if len(msg) < 4 or len(fds) != 3:
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
    return decode_request(body), list(fds)


def _work(req: dict, fds: list[int]) -> None:
    """Become the client's process: its fds, cwd, environment, umask and argv; then main()."""
    import signal

    code = 1
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
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


def stop(env=None) -> bool:
    """Stop the server of this lazycc (admin: --stop-server); False if none was running."""
    env = os.environ if env is None else env
    path = socket_path(env)
    try:
        with open(path + ".pid") as fh:
            pid = int(fh.read().strip())
        os.kill(pid, 15)
        return True
    except (OSError, ValueError):
        return False


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
