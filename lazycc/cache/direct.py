"""Direct mode (ccache's): reuse a whole compile result without running clang.

A *manifest* keyed by (identity, argv, cwd, relevant env, source bytes) lists
the headers seen last time with their content hashes; when every listed file
still hashes the same, the *result* (object bytes, depfile text, diagnostics)
is replayed. Results are stored only when the compile succeeded, no input was
modified during the compile (ccache's race guard, `written_since`), the main source
still has the bytes the manifest key was made from, and no input uses
__DATE__/__TIME__/__TIMESTAMP__.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass

from lazycc.cache import JsonEntries, sha256

# Environment variables that change what clang reads or produces.
ENV_KEYS = ("CPATH", "C_INCLUDE_PATH", "SOURCE_DATE_EPOCH", "SDKROOT", "COMPILER_PATH", "LIBRARY_PATH")
TIME_MACROS = (b"__DATE__", b"__TIME__", b"__TIMESTAMP__")
MAX_MANIFEST_ENTRIES = 8

# The race guard (`written_since`).  A file's mtime/ctime come from the kernel's coarse clock,
# which lags the clock `time.time_ns()` reads by up to one tick (1/HZ: 4 ms here, 10 ms at
# HZ=100): a write after the compile started can carry a stamp up to a tick *before* the start.
# Timestamps without a sub-second part come from a file system that truncates them (to 1 s, FAT
# to 2 s): a write during the compile can then look up to 2 s older than it is.
COARSE_CLOCK_MARGIN_NS = 20_000_000
WHOLE_SECOND_MARGIN_NS = 2_000_000_000


def parse_depfile(text: str) -> list[str]:
    """Prerequisites of the first rule of a Makefile-syntax depfile (clang's escaping)."""
    text = text.replace("\\\n", " ")
    rule = text.split("\n", 1)[0]
    # Targets end at the first ':' followed by whitespace or end of line.
    i = 0
    while i < len(rule):
        if rule[i] == "\\":
            i += 2
            continue
        if rule[i] == ":" and (i + 1 == len(rule) or rule[i + 1] in " \t"):
            break
        i += 1
    deps, cur, j, body = [], [], 0, rule[i + 1:]
    while j < len(body):
        c = body[j]
        if c == "\\" and j + 1 < len(body) and body[j + 1] in " #\\":
            cur.append(body[j + 1])
            j += 2
            continue
        if c == "$" and body[j + 1:j + 2] == "$":
            cur.append("$")
            j += 2
            continue
        if c in " \t":
            if cur:
                deps.append("".join(cur))
                cur = []
        else:
            cur.append(c)
        j += 1
    if cur:
        deps.append("".join(cur))
    return deps


def file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


@dataclass(frozen=True)
class CompileResult:
    object_bytes: bytes
    depfile: str | None
    stderr: bytes

    def pack(self) -> bytes:
        header = json.dumps({"depfile": self.depfile, "stderr": self.stderr.decode("latin-1")}).encode()
        return struct.pack("<I", len(header)) + header + self.object_bytes

    @classmethod
    def unpack(cls, blob: bytes) -> "CompileResult":
        (n,) = struct.unpack_from("<I", blob)
        header = json.loads(blob[4:4 + n])
        return cls(blob[4 + n:], header["depfile"], header["stderr"].encode("latin-1"))


def stat_signature(st: os.stat_result) -> tuple[int, int, int, int]:
    """(inode, size, mtime, ctime): any write or utime moves the ctime."""
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass(frozen=True)
class SourceSnapshot:
    """The main source as the manifest key read it, before the compile: the result is stored
    only if the source still has this signature and these bytes afterwards."""

    path: str
    signature: tuple[int, int, int, int]
    digest: str


def read_source(path: str) -> tuple[bytes, SourceSnapshot] | None:
    """The source's bytes and snapshot; None when unreadable or changing while read."""
    try:
        with open(path, "rb") as fh:
            before = stat_signature(os.fstat(fh.fileno()))
            data = fh.read()
            after = stat_signature(os.fstat(fh.fileno()))
    except OSError:
        return None
    if before != after:
        return None
    return data, SourceSnapshot(os.path.abspath(path), before, hashlib.sha256(data).hexdigest())


def manifest_key_of(identity: str, argv: list[str], cwd: str, src: bytes) -> str | None:
    """The manifest key for source bytes `src`; None when they use a time macro."""
    if any(m in src for m in TIME_MACROS):
        return None
    env = "\x1f".join(f"{k}={os.environ.get(k, '')}" for k in ENV_KEYS)
    return sha256("manifest", identity, "\x1f".join(argv), cwd, env, src)


def manifest_key(identity: str, argv: list[str], cwd: str, source: str) -> str | None:
    read = read_source(source)
    return None if read is None else manifest_key_of(identity, argv, cwd, read[0])


def written_since(st: os.stat_result, started_ns: int) -> bool:
    """Could this file have been written after `started_ns` (time.time_ns() at the compile's
    start)?  ccache's rule (mtime or ctime >= start) at full precision, with a margin for the
    coarse clock the kernel stamps files with (`COARSE_CLOCK_MARGIN_NS`), or 2 s when the
    file system keeps whole seconds only.  A file written shortly before the compile (a
    generated source, sqlite3's amalgamation) is stored; one written during it never is."""
    for stamp in (st.st_mtime_ns, st.st_ctime_ns):
        margin = WHOLE_SECOND_MARGIN_NS if stamp % 1_000_000_000 == 0 else COARSE_CLOCK_MARGIN_NS
        if stamp >= started_ns - margin:
            return True
    return False


def lookup(cache: JsonEntries, mkey: str) -> CompileResult | None:
    """The stored result whose recorded headers all still hash the same, if any."""
    manifest = cache.get_json(mkey)
    if not manifest:
        return None
    digests: dict[str, str | None] = {}

    def digest(path: str) -> str | None:
        if path not in digests:
            digests[path] = file_digest(path)
        return digests[path]

    for entry in manifest.get("entries", []):
        if all(digest(p) == h for p, h in entry["files"].items()):
            blob = cache.get_bytes(entry["result"])
            if blob is not None:
                return CompileResult.unpack(blob)
    return None


def known(cache: JsonEntries, mkey: str) -> bool:
    """Whether a manifest exists for `mkey` (the same command and source were compiled before)."""
    return bool(cache.get_json(mkey))


def _unchanged(source: SourceSnapshot, st: os.stat_result, digest: str) -> bool:
    return stat_signature(st) == source.signature and digest == source.digest


def store(cache: JsonEntries, mkey: str, inputs: list[str], started_ns: int, result: CompileResult,
          source: SourceSnapshot | None = None) -> str:
    """Record `result`; returns "" on success or why it was not stored.  `source`: the main
    source as the manifest key read it (it must be unchanged)."""
    files: dict[str, str] = {}
    for path in inputs:
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                data = fh.read()
        except OSError:
            return f"input vanished: {path}"
        if written_since(st, started_ns):
            return (f"input modified during the compile: {path} "
                    f"({(started_ns - max(st.st_mtime_ns, st.st_ctime_ns)) / 1e6:.1f} ms before its start)")
        if any(m in data for m in TIME_MACROS):
            return f"time macro in {path}"
        digest = hashlib.sha256(data).hexdigest()
        apath = os.path.abspath(path)
        if source is not None and apath == source.path and not _unchanged(source, st, digest):
            return f"main source changed during the compile: {path}"
        files[apath] = digest
    if source is not None and source.path not in files:  # listed under another spelling
        now = read_source(source.path)
        if now is None or now[1] != source:
            return f"main source changed during the compile: {source.path}"
    rkey = sha256("result", mkey, json.dumps(files, sort_keys=True))
    cache.put_bytes(rkey, result.pack())
    manifest = cache.get_json(mkey) or {"entries": []}
    entries = [e for e in manifest["entries"] if e["result"] != rkey]
    entries.insert(0, {"files": files, "result": rkey})
    cache.put_json(mkey, {"entries": entries[:MAX_MANIFEST_ENTRIES]})
    return ""
