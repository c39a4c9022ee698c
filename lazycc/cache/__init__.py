"""Local cache of rewrite decisions and objects (diskcache, content-addressed).

Two kinds of entry, both keyed by sha256:
- rewrite entries: identity + opt level + normalised IR -> the decision
  (verified rewritten IR, or "unchanged"/"rejected") with provenance;
- object entries: clang identity + lowering flags + final IR -> object bytes,
  so a warm build skips code generation.
Each value is framed as MAGIC + sha256(payload) + payload; a frame that does
not check out is a corrupt entry: it is deleted and reads as a miss. diskcache
commits each write in one SQLite transaction (value files are written before
the row that names them), so a writer killed mid-write leaves no half entry,
and concurrent `make -j` writers are serialised by SQLite.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from dataclasses import dataclass

# Bump when the meaning of an entry or of the key changes: every key includes
# it, so old entries simply miss.
SCHEMA_VERSION = "2"   # 2: keys ignore source_filename; entries carry their input and Changes
MAGIC = b"LZC1"

_MODULE_ID = re.compile(r"^; ModuleID = .*\n", re.M)
_SOURCE_FILENAME = re.compile(r"^source_filename = .*$", re.M)


def normalise_ir(text: str) -> str:
    """Drop what differs between identical modules compiled from different paths (another
    checkout, a distcc node's temporary `.i`): the ModuleID comment and `source_filename`.
    Neither is semantic; the latter names the object's STT_FILE symbol, which
    `with_source_filename` puts back from the local module."""
    return _SOURCE_FILENAME.sub("", _MODULE_ID.sub("", text, count=1), count=1).strip() + "\n"


def with_source_filename(ir_text: str, local_text: str) -> str:
    """`ir_text` (a cached rewrite) with the local module's `source_filename`, so a hit gives
    the object this compile would have produced."""
    m = _SOURCE_FILENAME.search(local_text)
    if m is None or _SOURCE_FILENAME.search(ir_text) is None:
        return ir_text
    return _SOURCE_FILENAME.sub(lambda _: m.group(0), ir_text, count=1)


def sha256(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogateescape") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Identity:
    """Everything besides the IR that a rewrite decision depends on."""

    clang: str
    policy: str
    proposer: str
    validator: str
    bounds: str

    def render(self) -> str:
        return (f"schema={SCHEMA_VERSION};clang={self.clang};policy={self.policy};"
                f"proposer={self.proposer};validator={self.validator};bounds={self.bounds}")


def rewrite_key(identity: Identity, opt_level: str, ir_text: str) -> str:
    return sha256("rewrite", identity.render(), opt_level, normalise_ir(ir_text))


def object_key(clang: str, lowering_argv: list[str], ir_text: str) -> str:
    return sha256("object", SCHEMA_VERSION, clang, "\x1f".join(lowering_argv), ir_text)


class CorruptEntry(Exception):
    pass


def frame(payload: bytes) -> bytes:
    return MAGIC + hashlib.sha256(payload).digest() + payload


def unframe(blob: object) -> bytes:
    if not isinstance(blob, (bytes, bytearray)) or len(blob) < 36 or blob[:4] != MAGIC:
        raise CorruptEntry("bad frame")
    digest, payload = bytes(blob[4:36]), bytes(blob[36:])
    if hashlib.sha256(payload).digest() != digest:
        raise CorruptEntry("checksum mismatch")
    return payload


def encode_payload(value: dict) -> bytes:
    """A JSON entry as stored (locally and, enveloped, on remotes).  zlib level 1: every
    decision stores its input IR, and level 6 cost 1.0 s of a compile on sqlite3.c's 40 MB
    (level 1: 0.2 s, 7 MB instead of 5); any level decompresses the same."""
    return zlib.compress(json.dumps(value, sort_keys=True).encode(), 1)


def decode_payload(payload: bytes) -> dict:
    """Inverse of encode_payload; anything else is a CorruptEntry."""
    try:
        value = json.loads(zlib.decompress(payload))
    except (zlib.error, ValueError) as exc:
        raise CorruptEntry(str(exc)) from exc
    if not isinstance(value, dict):
        raise CorruptEntry("not an object")
    return value


class JsonEntries:
    """get_json/put_json on top of a store's get_bytes/put_bytes/remove."""

    def get_bytes(self, key: str) -> bytes | None:
        raise NotImplementedError

    def put_bytes(self, key: str, payload: bytes) -> None:
        raise NotImplementedError

    def remove(self, key: str) -> None:
        raise NotImplementedError

    def get_json(self, key: str) -> dict | None:
        payload = self.get_bytes(key)
        if payload is None:
            return None
        try:
            return decode_payload(payload)
        except CorruptEntry:
            self.remove(key)
            raise

    def put_json(self, key: str, value: dict) -> None:
        self.put_bytes(key, encode_payload(value))


class LocalCache(JsonEntries):
    """get/put/remove on hex digests; a miss (None) is distinct from an error (exception)."""

    def __init__(self, directory: str, size_limit: int):
        import diskcache  # imported lazily: pass-through invocations never pay for it

        self.directory = os.path.join(directory, "store")
        self._cache = diskcache.Cache(self.directory, size_limit=size_limit,
                                      eviction_policy="least-recently-stored", timeout=60,
                                      disk_min_file_size=1 << 16)

    def get_bytes(self, key: str) -> bytes | None:
        blob = self._cache.get(key, default=None, retry=True)
        if blob is None:
            return None
        try:
            return unframe(blob)
        except CorruptEntry:
            self._cache.delete(key, retry=True)
            raise

    def put_bytes(self, key: str, payload: bytes) -> None:
        self._cache.set(key, frame(payload), retry=True)

    def remove(self, key: str) -> None:
        self._cache.delete(key, retry=True)

    def keys(self) -> list[str]:
        return list(self._cache.iterkeys())

    def verify_all(self) -> dict[str, int]:
        """Check every entry's frame; corrupt ones are removed. Returns counts."""
        counts = {"ok": 0, "corrupt": 0}
        for key in self.keys():
            blob = self._cache.get(key, default=None, retry=True)
            if blob is None:
                continue
            try:
                unframe(blob)
                counts["ok"] += 1
            except CorruptEntry:
                counts["corrupt"] += 1
                self._cache.delete(key, retry=True)
        check = self._cache.check(fix=True)
        counts["warnings"] = len(check)
        return counts

    def volume(self) -> int:
        return self._cache.volume()

    def count(self) -> int:
        return len(self._cache)

    def clear(self) -> int:
        return self._cache.clear(retry=True)

    def close(self) -> None:
        self._cache.close()
