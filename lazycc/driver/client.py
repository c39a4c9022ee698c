"""Client of the resident compile server (driver/server.py): hand an invocation over.

Imported by every invocation before anything else, so its imports stay light (no
`socket`, `signal`, `json`, `dataclasses`): the request is NUL-separated fields sent with
the C module `_socket`. The CLI calls this module one way; it never imports the CLI or
the server (the server imports it for the shared wire format and socket naming).
Settings are read through `config_source`, the same code `config.load` uses.
"""
from __future__ import annotations

import os
import struct
import sys

# The client uses _socket, the C module behind `socket` (whose import costs ~6 ms: enum,
# selectors); the server side imports `socket` itself.
import _socket

from lazycc import config_source

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


def disabled(env) -> bool:
    """The `noserver` setting, read by config.load's rules (LAZYCC_NOSERVER, else the config
    file). A value config.load rejects (e.g. LAZYCC_NOSERVER=0) is not "true" here: the
    invocation goes on and reports the setting as a config error, as in-process."""
    return config_source.bool_setting("noserver", env)


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


_AUTH = ("--jobserver-auth=", "--jobserver-fds=")


def pipe_fds(auth: str) -> tuple[int, int]:
    """The (read, write) descriptors of a `R,W` jobserver, checked to be the two ends of one
    pipe: make closes them for commands it does not consider recursive, and the numbers may
    then belong to unrelated files.  Raises OSError (or ValueError) otherwise."""
    import stat

    r, w = (int(x) for x in auth.split(","))
    if r < 0 or w < 0:
        raise OSError("jobserver disabled for this command")
    sr, sw = os.fstat(r), os.fstat(w)
    if not (stat.S_ISFIFO(sr.st_mode) and stat.S_ISFIFO(sw.st_mode)) or (sr.st_dev, sr.st_ino) != (sw.st_dev, sw.st_ino):
        raise OSError("jobserver descriptors are not one pipe")
    return r, w


def jobserver_auth(makeflags: str) -> str | None:
    """The last --jobserver-auth= (or older --jobserver-fds=) value of MAKEFLAGS."""
    auth = None
    for word in makeflags.split():
        for prefix in _AUTH:
            if word.startswith(prefix):
                auth = word[len(prefix):]
    return auth


def _jobserver_fds(env) -> list[int]:
    """GNU make's jobserver pipe, when MAKEFLAGS names one this process holds: the worker
    gets it at the same descriptor numbers (parallel one-step compiles take its tokens)."""
    auth = jobserver_auth(env.get("MAKEFLAGS", ""))
    if auth is None or auth.startswith("fifo:"):
        return []
    try:
        r, w = pipe_fds(auth)
    except (OSError, ValueError):
        return []
    return [r, w] if r != w else [r]


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
    extra = _jobserver_fds(env)
    payload = encode_request(argv, sys.argv[0], os.getcwd(), env, umask, extra)
    fds = [0, 1, 2, *extra]
    try:
        s.sendmsg([struct.pack("!I", len(payload)), payload],
                  [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack(f"{len(fds)}i", *fds))])
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


_MAGIC = b"lazycc-request-2"


def encode_request(argv: list[str], argv0: str, cwd: str, env, umask: int, extra_fds: list[int] = ()) -> bytes:
    """NUL-separated fields (no json import on the client): magic, argv0, cwd, umask, the
    descriptor numbers of the fds sent after stdin/stdout/stderr (make's jobserver),
    argc, argv..., then `key=value` environment entries."""
    fields = [_MAGIC, os.fsencode(argv0), os.fsencode(cwd), str(umask).encode(),
              ",".join(map(str, extra_fds)).encode(), str(len(argv)).encode(),
              *map(os.fsencode, argv), *(os.fsencode(k) + b"=" + os.fsencode(v) for k, v in env.items())]
    return b"\0".join(fields)


def decode_request(data: bytes) -> dict:
    fields = data.split(b"\0")
    if fields[0] != _MAGIC:
        raise ValueError("not a lazycc request")
    argc = int(fields[5])
    env = {}
    for entry in fields[6 + argc:]:
        k, _, v = entry.partition(b"=")
        env[os.fsdecode(k)] = os.fsdecode(v)
    return {"argv0": os.fsdecode(fields[1]), "cwd": os.fsdecode(fields[2]), "umask": int(fields[3]),
            "fds": [int(x) for x in fields[4].split(b",") if x],
            "argv": [os.fsdecode(a) for a in fields[6:6 + argc]], "env": env}


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
