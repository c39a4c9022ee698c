"""The local cache: framing, corruption, eviction, keys."""
from __future__ import annotations

import diskcache
import pytest

from lazycc.cache import (CorruptEntry, Identity, LocalCache, frame, normalise_ir, object_key,
                          rewrite_key, unframe)


def test_frame_roundtrip_and_tamper_detection():
    blob = frame(b"payload")
    assert unframe(blob) == b"payload"
    with pytest.raises(CorruptEntry):
        unframe(blob[:-1] + b"X")
    with pytest.raises(CorruptEntry):
        unframe(b"junk")


def test_corrupt_entry_is_deleted_and_reads_as_miss(tmp_path):
    c = LocalCache(str(tmp_path), 10**8)
    c.put_json("k", {"decision": "unchanged"})
    assert c.get_json("k") == {"decision": "unchanged"}
    raw = diskcache.Cache(c.directory)
    raw.set("k", frame(b"not zlib"))      # valid frame, undecodable payload
    raw.set("k2", b"LZC1" + b"\0" * 40)   # bad checksum
    raw.close()
    with pytest.raises(CorruptEntry):
        c.get_json("k")
    assert c.get_json("k") is None        # deleted: next read is a plain miss
    counts = c.verify_all()
    assert counts["corrupt"] == 1 and c.get_bytes("k2") is None
    c.close()


def test_size_limit_evicts(tmp_path):
    c = LocalCache(str(tmp_path), 300_000)
    for i in range(40):
        c.put_bytes(f"key{i}", bytes([i % 256]) * 100_000)
    assert c.volume() < 1_500_000
    assert c.get_bytes("key39") == bytes([39]) * 100_000
    assert c.get_bytes("key0") is None
    c.close()


def test_keys_are_content_addressed():
    ident = Identity("clang 22", "heuristic", "p1", "v0", "unroll=4")
    a = "; ModuleID = '/home/a/x.c'\ndefine i32 @f() {\n  ret i32 0\n}\n"
    b = "; ModuleID = '/tmp/elsewhere/x.c'\ndefine i32 @f() {\n  ret i32 0\n}\n"
    assert normalise_ir(a) == normalise_ir(b)
    assert rewrite_key(ident, "2", a) == rewrite_key(ident, "2", b)
    assert rewrite_key(ident, "2", a) != rewrite_key(ident, "3", a)
    other = Identity("clang 22", "all", "p1", "v0", "unroll=4")
    assert rewrite_key(ident, "2", a) != rewrite_key(other, "2", a)
    assert object_key("c", ["-O2"], a) != object_key("c", ["-O3"], a)


def test_file_store_roundtrip_corruption_and_eviction(tmp_path):
    from lazycc.cache.files import FileStore

    store = FileStore(str(tmp_path / "direct"), 250_000)
    store.put_json("ab" + "0" * 62, {"entries": []})
    assert store.get_json("ab" + "0" * 62) == {"entries": []}
    key = "cd" + "1" * 62
    store.put_bytes(key, b"x" * 1000)
    path = tmp_path / "direct" / "cd" / ("1" * 62)
    path.write_bytes(path.read_bytes()[:-1] + b"y")  # flip the payload: checksum mismatch
    with pytest.raises(CorruptEntry):
        store.get_bytes(key)
    assert not path.exists() and store.get_bytes(key) is None
    for i in range(30):
        store.put_bytes(f"{i:02x}" + "2" * 62, bytes([i]) * 20_000)
    store.cleanup()
    assert store.volume() <= 250_000
    assert store.verify_all() == {"ok": store.count(), "corrupt": 0}
