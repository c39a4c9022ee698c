"""The storage interface every cache tier implements (ccache's remote-storage shape).

`get`/`put`/`remove` on a hex digest return an `Answer`: a hit (with the bytes), a
miss, or a failure that says whether it was an error or a timeout. Backends never
raise: a broken backend must not break a build, and the tiered store needs to tell
"not there" (ask the next tier, compute) from "cannot ask" (count it, disable that
remote for the rest of the invocation, go on as a miss).

Payloads are framed (MAGIC + sha256 + payload, `lazycc.cache.frame`) by the caller
before they reach a remote, so corruption in transit or on the server reads as a
bad frame, not as an entry.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

from lazycc.cache import CorruptEntry, LocalCache


class Outcome(enum.Enum):
    HIT = "hit"
    MISS = "miss"
    ERROR = "error"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Answer:
    """One storage operation's result; `value` only on a HIT of `get`."""

    outcome: Outcome
    value: bytes | None = None
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome in (Outcome.ERROR, Outcome.TIMEOUT)


HIT_PUT = Answer(Outcome.HIT)      # a put or remove that succeeded
MISS = Answer(Outcome.MISS)


class Storage(Protocol):
    """A content-addressed store of byte strings (keys are sha256 hex digests)."""

    name: str
    read_only: bool

    def get(self, key: str) -> Answer: ...

    def put(self, key: str, value: bytes) -> Answer: ...

    def remove(self, key: str) -> Answer: ...

    def close(self) -> None: ...


class LocalStorage:
    """The local diskcache store behind the `Storage` interface (framing is its own)."""

    read_only = False

    def __init__(self, cache: LocalCache):
        self.cache = cache
        self.name = f"local:{cache.directory}"

    def get(self, key: str) -> Answer:
        try:
            blob = self.cache.get_bytes(key)
        except CorruptEntry as exc:
            return Answer(Outcome.MISS, detail=f"corrupt entry discarded: {exc}")
        except Exception as exc:  # noqa: BLE001 - a cache is only an optimisation
            return Answer(Outcome.ERROR, detail=repr(exc))
        return MISS if blob is None else Answer(Outcome.HIT, blob)

    def put(self, key: str, value: bytes) -> Answer:
        try:
            self.cache.put_bytes(key, value)
            return HIT_PUT
        except Exception as exc:  # noqa: BLE001
            return Answer(Outcome.ERROR, detail=repr(exc))

    def remove(self, key: str) -> Answer:
        try:
            self.cache.remove(key)
            return HIT_PUT
        except Exception as exc:  # noqa: BLE001
            return Answer(Outcome.ERROR, detail=repr(exc))

    def close(self) -> None:
        self.cache.close()
