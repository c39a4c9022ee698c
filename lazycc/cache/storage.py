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
from typing import TYPE_CHECKING, Callable, Protocol

if TYPE_CHECKING:
    from lazycc.cache.share import Fetched, RemoteTier

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
    corrupt: bool = False      # a MISS because a bad entry was found and discarded

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
            return Answer(Outcome.MISS, detail=f"corrupt entry discarded: {exc}", corrupt=True)
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


@dataclass(frozen=True)
class Found:
    payload: bytes
    tier: str          # "local", or the remote's (redacted) name


class TieredStore:
    """Rewrite decisions: local first; a remote hit that `accept` approves (re-validated or
    signed) is copied to the local tier; `put` stores locally and on every writable remote.
    Objects and direct-mode results do not come here: they stay local."""

    def __init__(self, local: Storage | None, remote: "RemoteTier | None",
                 on_local_trouble: Callable[[Answer], None]):
        self.local, self.remote = local, remote
        self.on_local_trouble = on_local_trouble

    def get(self, key: str, accept: Callable[["Fetched"], bytes | None]) -> Found | None:
        if self.local is not None:
            a = self.local.get(key)
            if a.outcome is Outcome.HIT:
                return Found(a.value or b"", "local")
            if a.failed or a.corrupt:
                self.on_local_trouble(a)
        if self.remote is None:
            return None
        fetched = self.remote.fetch(key)
        payload = accept(fetched) if fetched is not None else None
        if payload is None:
            return None
        if self.local is not None:
            a = self.local.put(key, payload)
            if a.failed:
                self.on_local_trouble(a)
        return Found(payload, fetched.source)

    def put(self, key: str, payload: bytes) -> None:
        if self.local is not None:
            a = self.local.put(key, payload)
            if a.failed:
                self.on_local_trouble(a)
        if self.remote is not None:
            self.remote.publish(key, payload)
