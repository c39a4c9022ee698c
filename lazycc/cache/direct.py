"""Direct mode (ccache's): reuse a whole compile result without running clang.

A *manifest* keyed by (identity, argv, cwd, relevant env, source bytes) lists
the headers seen last time with their content hashes; when every listed file
still hashes the same, the *result* (object bytes, depfile text, diagnostics)
is replayed. Results are stored only when the compile succeeded, no input was
modified during the compile (ccache's race guard), and no input uses
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


def manifest_key(identity: str, argv: list[str], cwd: str, source: str) -> str | None:
    try:
        with open(source, "rb") as fh:
            src = fh.read()
    except OSError:
        return None
    if any(m in src for m in TIME_MACROS):
        return None
    env = "\x1f".join(f"{k}={os.environ.get(k, '')}" for k in ENV_KEYS)
    return sha256("manifest", identity, "\x1f".join(argv), cwd, env, src)


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


def store(cache: JsonEntries, mkey: str, inputs: list[str], started_ns: int, result: CompileResult) -> str:
    """Record `result`; returns "" on success or why it was not stored."""
    files: dict[str, str] = {}
    for path in inputs:
        try:
            st = os.stat(path)
        except OSError:
            return f"input vanished: {path}"
        # mtime only (ccache's include_file_ctime sloppiness): a write during the
        # compile moves it; a 1 s margin covers coarse file-system clocks.
        if st.st_mtime_ns >= started_ns - 1_000_000_000:
            return f"input modified during the compile: {path}"
        with open(path, "rb") as fh:
            data = fh.read()
        if any(m in data for m in TIME_MACROS):
            return f"time macro in {path}"
        files[os.path.abspath(path)] = hashlib.sha256(data).hexdigest()
    rkey = sha256("result", mkey, json.dumps(files, sort_keys=True))
    cache.put_bytes(rkey, result.pack())
    manifest = cache.get_json(mkey) or {"entries": []}
    entries = [e for e in manifest["entries"] if e["result"] != rkey]
    entries.insert(0, {"files": files, "result": rkey})
    cache.put_json(mkey, {"entries": entries[:MAX_MANIFEST_ENTRIES]})
    return ""
