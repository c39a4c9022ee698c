"""Fast entries: what the native client (native/lazycc-fast.c) needs to serve a direct hit.

Why: a warm hit through Python pays an interpreter start (>= 10 ms even for `python -I -S`,
~20 ms with the compile server), as long as clang takes on a small file; the native client
answers in about a millisecond.  It does not recompute the direct-mode key (identity,
classified argv, ...): after a direct-mode hit or store, the driver writes a *fast entry*
keyed by the raw invocation (`invocation_key`) that lists everything that Python path
depended on beyond that key, each in a form the client can re-check exactly:

    lazycc-fast-1
    stamp  <key of the code stamp: every lazycc source's mtime and size, site-packages' mtime>
    skip   <realpath or -> <PATH candidate before the compiler>   (still not an executable, or lazycc)
    clang  <size> <mtime_ns> <realpath> <path>                     (the compiler identity's memo key)
    source <sha256> <stat signature or -> <path>
    manifest <direct-mode key> <sha256 of the manifest's payload>  (the very manifest read)
    output <object path> / depfile <path> / log <path> / logline <text>
    entry <result key> <n>  then n lines: file <sha256> <stat signature or -> <path>
    end

A pass-through (a link, `-E`, ...: what `classify` passes to clang untouched) has an entry too:
the stamp, the compiler lines, `exec <reason> <n>`, log/logline, end.  The client re-checks the
stamp and the compiler lookup, appends the log line and the `passthrough.<reason>` counter,
and execs the compiler with the user's argv minus its first n (the launcher form's compiler
name, `lazycc clang-22 ...`) as `cli.exec_clang` does.  Why: each link of a
warm rebuild handed over to Python cost ~0.1 s (libconfuse: 12 links, half its warm build).
The classification is a function of argv alone (response files, the one input it reads, are
never served), so the raw invocation key decides it.

(tab-separated; paths last).  The client runs direct.lookup's rule on the entries (the
first whose files all hash the same and whose result exists) and replays it as
compile_job does; anything it cannot check hands over to Python before writing.  A stat
signature (inode, size, mtime, ctime) stands for a hash only when the file's ctime was
more than `SIG_MIN_AGE_NS` old when it was hashed: every later write or utime moves ctime.
Entries live in the direct-mode FileStore (same eviction, `--clear`, `--verify-cache`).
Never raises: a fast entry is only an optimisation.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
import zlib

FAST_VERSION = "lazycc-fast-1"
STAMP_VERSION = "lazycc-stamp-1"
SIG_MIN_AGE_NS = 2_000_000_000
# Environment the Python path reads besides LAZYCC_* and PYTHON* (compiler and cache-dir
# lookup, direct mode's own ENV_KEYS).
ENV_NAMES = ("PATH", "HOME", "XDG_CACHE_HOME", "CPATH", "C_INCLUDE_PATH", "SOURCE_DATE_EPOCH", "SDKROOT",
             "COMPILER_PATH", "LIBRARY_PATH")


def _env_matters(name: str) -> bool:
    return name.startswith(("LAZYCC_", "PYTHON")) or name in ENV_NAMES


def _sha256(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
        h.update(b"\0")
    return h.hexdigest()


def conf_digest(cache_dir: str) -> str | None:
    """sha256 of $LAZYCC_DIR/lazycc.conf, "-" when absent, None when unreadable."""
    try:
        with open(os.path.join(cache_dir, "lazycc.conf"), "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except FileNotFoundError:
        return "-"
    except OSError:
        return None


def invocation_key(argv0: str, args: list[str], cwd: str, env, tty: bool, conf: str) -> str:
    """The fast entry's key: the raw invocation, as the native client computes it."""
    enc = os.fsencode
    envs = sorted(enc(k) + b"=" + enc(v) for k, v in env.items() if _env_matters(k))
    return _sha256(FAST_VERSION.encode(), b"argv0", enc(argv0), b"argc", str(len(args)).encode(),
                   *map(enc, args), b"cwd", enc(cwd), b"tty", b"1" if tty else b"0",
                   b"env", *envs, b"conf", conf.encode())


class Invocation:
    """The raw invocation a fast entry is for (taken before anything else runs)."""

    def __init__(self, argv0: str, args: list[str], env, cache_dir: str):
        self.conf = conf_digest(cache_dir)
        self.cache_dir = cache_dir
        self.eligible = self.conf is not None and not any(a.startswith("@") for a in args)
        self.key = ""
        if self.eligible:
            self.key = invocation_key(argv0, args, os.getcwd(), env, sys.stderr.isatty(), self.conf)


def stat_sig(path: str) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _hash_with_sig(path: str) -> tuple[str | None, str]:
    """(sha256 of the content, its stat signature or "-" when the file is too young or moved)."""
    before = stat_sig(path)
    try:
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None, "-"
    after = stat_sig(path)
    if before is None or before != after or int(before.rsplit(":", 1)[1]) > time.time_ns() - SIG_MIN_AGE_NS:
        return digest, "-"
    return digest, before


_SOURCES: list[str] | None = None


def code_stamp() -> tuple[str, bytes]:
    """(key, text) of what the running lazycc is made of.  The walk of its sources is done
    once per process (the server does it before forking workers, and exits when a source
    changes); site-packages' mtime is read each time (a pip install under a running server)."""
    global _SOURCES
    if _SOURCES is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        lines = [STAMP_VERSION]
        for d, dirs, files in os.walk(root):
            dirs[:] = sorted(x for x in dirs if x != "__pycache__")
            for f in sorted(files):
                if f.endswith(".py"):
                    p = os.path.join(d, f)
                    st = os.stat(p)
                    lines.append(f"f\t{st.st_mtime_ns}\t{st.st_size}\t{p}")
        _SOURCES = lines
    lines = list(_SOURCES)
    for p in sys.path:  # a reinstall (pip) changes what `import lazycc` finds
        if os.path.basename(p) == "site-packages" and os.path.isdir(p):
            lines.append(f"d\t{os.stat(p).st_mtime_ns}\t{p}")
    text = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    return _sha256(b"code-stamp", text), text


def _compiler_lines(name: str, found: str, env) -> list[str] | None:
    """How `cli.find_compiler(name)` arrived at `found`, as lines the client re-checks."""
    exe = os.path.realpath(found)
    try:
        st = os.stat(exe)
    except OSError:
        return None
    lines = []
    if os.sep not in name:
        for d in env.get("PATH", "").split(os.pathsep):
            cand = os.path.join(d or ".", name)
            if cand == found:
                break
            usable = os.path.isfile(cand) and os.access(cand, os.X_OK)
            lines.append(f"skip\t{os.path.realpath(cand) if usable else '-'}\t{cand}")
        else:
            return None
    elif found != name:
        return None
    lines.append(f"clang\t{st.st_size}\t{st.st_mtime_ns}\t{exe}\t{found}")
    return lines


def remember(store, inv: Invocation, *, compiler_name: str, compiler: str, env, mkey: str,
             source: str, output: str, depfile: str | None, log_path: str, log_lines: list[str]) -> str:
    """Write the fast entry for `inv` after a direct-mode hit or store under `mkey`;
    returns "" or why not (never raises)."""
    try:
        return _remember(store, inv, compiler_name, compiler, env, mkey, source, output, depfile,
                         log_path, log_lines)
    except Exception as exc:  # noqa: BLE001 - only an optimisation
        return f"fast entry not written: {exc!r}"


def remember_passthrough(store, inv: Invocation, *, compiler_name: str, compiler: str, env, reason: str,
                         dropped: int, log_path: str, log_line: str) -> str:
    """Write the fast entry for a pass-through of `inv` that execs the compiler with the raw
    argv minus its first `dropped` arguments; returns "" or why not (never raises)."""
    try:
        if not inv.eligible or conf_digest(inv.cache_dir) != inv.conf or dropped not in (0, 1):
            return "not eligible"
        if not _clean(log_path, log_line) or not reason.replace("_", "").isalnum():
            return "a tab or newline in the log line"
        clines = _compiler_lines(compiler_name, compiler, env)
        if clines is None:
            return "compiler not found the way the client can check"
        skey, stext = code_stamp()
        if not os.path.exists(_entry_path(store, skey)):
            store.put_bytes(skey, stext)
        lines = [FAST_VERSION, f"stamp\t{skey}", *clines, f"exec\t{reason}\t{dropped}"]
        if log_path:
            lines += [f"log\t{log_path}", f"logline\t{log_line}"]
        lines.append("end")
        store.put_bytes(inv.key, ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))
        return ""
    except Exception as exc:  # noqa: BLE001 - only an optimisation
        return f"fast entry not written: {exc!r}"


def _entry_path(store, key: str) -> str:
    """Where the FileStore keeps `key` (the layout the native client reads)."""
    return os.path.join(store.directory, key[:2], key[2:])


def _clean(*texts: str) -> bool:
    return not any("\n" in t or "\t" in t or "\0" in t for t in texts)


def _remember(store, inv, compiler_name, compiler, env, mkey, source, output, depfile, log_path, log_lines):
    if not inv.eligible or conf_digest(inv.cache_dir) != inv.conf:
        return "not eligible"
    if not _clean(source, output, depfile or "", log_path, *log_lines):
        return "a path with a tab or newline"
    from lazycc.cache import unframe

    try:
        with open(_entry_path(store, mkey), "rb") as fh:
            raw = fh.read()
    except OSError:
        return "no manifest"
    payload = unframe(raw)
    import json

    manifest = json.loads(zlib.decompress(payload))
    lines = [FAST_VERSION]
    skey, stext = code_stamp()
    if not os.path.exists(_entry_path(store, skey)):
        store.put_bytes(skey, stext)
    lines.append(f"stamp\t{skey}")
    clines = _compiler_lines(compiler_name, compiler, env)
    if clines is None:
        return "compiler not found the way the client can check"
    lines += clines
    digest, sig = _hash_with_sig(source)
    if digest is None:
        return "source unreadable"
    lines.append(f"source\t{digest}\t{sig}\t{source}")
    lines.append(f"manifest\t{mkey}\t{hashlib.sha256(payload).hexdigest()}")
    lines.append(f"output\t{output}")
    if depfile is not None:
        lines.append(f"depfile\t{depfile}")
    if log_path:
        lines.append(f"log\t{log_path}")
        lines += [f"logline\t{t}" for t in log_lines]
    memo: dict[str, tuple[str | None, str]] = {}
    for entry in manifest.get("entries", []):
        files = entry["files"]
        if not _clean(*files):
            return "an input path with a tab or newline"
        lines.append(f"entry\t{entry['result']}\t{len(files)}")
        for p, h in files.items():
            if p not in memo:
                memo[p] = _hash_with_sig(p)
            cur, sig = memo[p]
            lines.append(f"file\t{h}\t{sig if cur == h else '-'}\t{p}")
    lines.append("end")
    store.put_bytes(inv.key, ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))
    return ""
