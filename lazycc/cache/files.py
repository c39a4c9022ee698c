"""A file-per-entry store for direct-mode manifests and results (ccache's layout).

The direct-mode lookup runs on every warm compile, where opening the SQLite
store costs more than the rest of the hit; a file read does not. Entries live
at `<dir>/ab/cdef...`, framed and checksummed like every cache entry (a bad
frame reads as a miss and is deleted), written to a temp file in the same
directory and renamed (atomic on POSIX: readers see the old or the new entry,
never half of one). Size is bounded by an occasional cleanup that removes the
least recently used files (a hit refreshes the file's mtime).
"""
from __future__ import annotations

import os
import random

from lazycc.cache import CorruptEntry, JsonEntries, frame, unframe
from lazycc.fsutil import atomic_write

CLEANUP_EVERY = 32  # on average, one write in this many checks the size limit


class FileStore(JsonEntries):
    def __init__(self, directory: str, size_limit: int):
        self.directory = directory
        self.size_limit = size_limit

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key[2:])

    def get_bytes(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                blob = fh.read()
        except FileNotFoundError:
            return None
        try:
            payload = unframe(blob)
        except CorruptEntry:
            self.remove(key)
            raise
        try:
            os.utime(path)  # LRU for cleanup
        except OSError:
            pass
        return payload

    def put_bytes(self, key: str, payload: bytes) -> None:
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, frame(payload), mode=None)
        if random.randrange(CLEANUP_EVERY) == 0:
            self.cleanup()

    def remove(self, key: str) -> None:
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            pass

    def _entries(self) -> list[tuple[float, int, str]]:
        out = []
        try:
            subdirs = os.scandir(self.directory)
        except FileNotFoundError:
            return out
        for sub in subdirs:
            if not sub.is_dir():
                continue
            for f in os.scandir(sub.path):
                try:
                    st = f.stat()
                except FileNotFoundError:
                    continue
                out.append((st.st_mtime, st.st_size, f.path))
        return out

    def cleanup(self) -> int:
        """Evict least recently used entries down to 90% of the limit; returns files removed."""
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        removed = 0
        if total <= self.size_limit:
            return 0
        for _, size, path in sorted(entries):
            if total <= self.size_limit * 0.9:
                break
            try:
                os.unlink(path)
                total -= size
                removed += 1
            except FileNotFoundError:
                pass
        return removed

    def volume(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def count(self) -> int:
        return len(self._entries())

    def verify_all(self) -> dict[str, int]:
        counts = {"ok": 0, "corrupt": 0}
        for _, _, path in self._entries():
            if os.path.basename(path).startswith(".tmp-"):
                continue  # a writer killed mid-write: not an entry
            try:
                with open(path, "rb") as fh:
                    unframe(fh.read())
                counts["ok"] += 1
            except (OSError, CorruptEntry):
                counts["corrupt"] += 1
                try:
                    os.unlink(path)
                except OSError:
                    pass
        return counts

    def clear(self) -> int:
        n = 0
        for _, _, path in self._entries():
            try:
                os.unlink(path)
                n += 1
            except OSError:
                pass
        return n
