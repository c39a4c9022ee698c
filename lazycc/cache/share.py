"""Sharing rewrite decisions across machines: the remote tier, signatures, export/import.

What travels is a rewrite entry's payload (the local cache's compressed JSON) in an
envelope: `frame(siglen + signature + public key + payload)`. The signature (Ed25519,
`cryptography`) covers the cache key and the payload's digest, so an entry cannot be
moved to another key. The frame's checksum only catches corruption; trust comes from
re-validation (the default: the caller proves a fetched rewrite again before use) or
from a signature by a key the reader was told to trust.

Objects and direct-mode results never leave the machine: they cannot be re-checked,
and a remote hit re-lowers the verified IR locally.
"""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Callable

from lazycc.cache import CorruptEntry, frame, unframe
from lazycc.cache.remote import RemoteSpec, open_remote
from lazycc.cache.storage import Answer, Outcome
from lazycc.stats import Stat, Stats

SIG_LEN, PUB_LEN = 64, 32
_SIG_DOMAIN = b"lazycc-rewrite-entry\0"


def _message(key: str, payload: bytes) -> bytes:
    return _SIG_DOMAIN + key.encode() + b"\0" + hashlib.sha256(payload).digest()


@dataclass(frozen=True)
class Envelope:
    payload: bytes
    signature: bytes = b""
    public_key: bytes = b""

    def seal(self) -> bytes:
        return frame(struct.pack("<B", len(self.signature)) + self.signature + self.public_key + self.payload)

    @classmethod
    def open(cls, blob: bytes) -> "Envelope":
        """Raises CorruptEntry for anything that is not a well-formed envelope."""
        body = unframe(blob)
        if not body:
            raise CorruptEntry("empty envelope")
        n = body[0]
        if n not in (0, SIG_LEN):
            raise CorruptEntry("bad signature length")
        if n == 0:
            return cls(body[1:])
        if len(body) < 1 + SIG_LEN + PUB_LEN:
            raise CorruptEntry("truncated signature")
        return cls(body[1 + SIG_LEN + PUB_LEN:], body[1:1 + SIG_LEN], body[1 + SIG_LEN:1 + SIG_LEN + PUB_LEN])


def _read_pem_blocks(path: str) -> list[bytes]:
    with open(path, "rb") as fh:
        text = fh.read()
    blocks, rest = [], text
    while b"-----BEGIN" in rest:
        start = rest.index(b"-----BEGIN")
        end = rest.index(b"-----END", start)
        end = rest.index(b"-----", end + 8) + 5
        blocks.append(rest[start:end] + b"\n")
        rest = rest[end:]
    return blocks


class Signer:
    """A writer's Ed25519 key (PEM, PKCS#8: `openssl genpkey -algorithm ed25519`)."""

    def __init__(self, path: str):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        with open(path, "rb") as fh:
            key = serialization.load_pem_private_key(fh.read(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        self._key = key
        self.public_key = key.public_key().public_bytes(serialization.Encoding.Raw,
                                                        serialization.PublicFormat.Raw)

    def envelope(self, key: str, payload: bytes) -> Envelope:
        return Envelope(payload, self._key.sign(_message(key, payload)), self.public_key)


class Verifier:
    """The public keys a reader trusts (PEM file, one or more `PUBLIC KEY` blocks)."""

    def __init__(self, path: str):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        self._keys = {}
        for block in _read_pem_blocks(path):
            key = serialization.load_pem_public_key(block)
            if isinstance(key, Ed25519PublicKey):
                raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
                self._keys[raw] = key
        if not self._keys:
            raise ValueError(f"{path}: no Ed25519 public key")

    def trusted(self, key: str, env: Envelope) -> bool:
        """Signed by one of our keys, over this cache key and payload."""
        from cryptography.exceptions import InvalidSignature

        pub = self._keys.get(env.public_key)
        if pub is None or not env.signature:
            return False
        try:
            pub.verify(env.signature, _message(key, env.payload))
            return True
        except InvalidSignature:
            return False


@dataclass(frozen=True)
class Fetched:
    """A remote entry's payload; `signed`: by a trusted key (no re-validation needed)."""

    payload: bytes
    signed: bool
    source: str


_FAILURE_STATS = {Outcome.ERROR: Stat.REMOTE_ERRORS, Outcome.TIMEOUT: Stat.REMOTE_TIMEOUTS}


class RemoteTier:
    """The remotes of one invocation, in `LAZYCC_REMOTE` order. Every failure is counted and
    logged; a remote that failed once is not asked again in this invocation."""

    def __init__(self, specs: tuple[RemoteSpec, ...], stats: Stats, log: Callable[[str], None],
                 sign_key: str = "", trusted_keys: str = "", require_signature: bool = False):
        self.remotes = [open_remote(s) for s in specs]
        self.stats, self.log = stats, log
        self.require_signature = require_signature
        self.signer: Signer | None = None
        self.verifier: Verifier | None = None
        try:
            if sign_key:
                self.signer = Signer(sign_key)
            if trusted_keys:
                self.verifier = Verifier(trusted_keys)
        except Exception as exc:  # noqa: BLE001 - a bad key: no signing/trust, counted
            stats.bump(Stat.REMOTE_ERRORS)
            log(f"remote cache: signature keys unusable: {exc!r}")

    def _failed(self, answer: Answer) -> None:
        self.stats.bump(_FAILURE_STATS[answer.outcome])
        self.log(f"remote cache: {answer.detail}")

    def fetch(self, key: str) -> Fetched | None:
        """The first remote hit that is well-formed (and signed, when that is required)."""
        asked = False
        for r in self.remotes:
            if r.disabled is not None:
                continue
            asked = True
            a = r.get(key)
            if a.failed:
                self._failed(a)
                continue
            if a.outcome is not Outcome.HIT:
                continue
            try:
                env = Envelope.open(a.value or b"")
            except CorruptEntry as exc:
                self.stats.bump(Stat.REMOTE_ERRORS)
                self.log(f"remote cache: {r.name}: garbage entry {key[:12]}: {exc}")
                continue
            signed = self.verifier is not None and self.verifier.trusted(key, env)
            if self.require_signature and not signed:
                self.stats.bump(Stat.REMOTE_REJECTED)
                self.log(f"remote cache: {r.name}: entry {key[:12]} rejected: not signed by a trusted key")
                continue
            return Fetched(env.payload, signed, r.name)
        if asked:
            self.stats.bump(Stat.REMOTE_MISSES)
        return None

    def envelope(self, key: str, payload: bytes) -> bytes:
        return (self.signer.envelope(key, payload) if self.signer else Envelope(payload)).seal()

    def publish(self, key: str, payload: bytes) -> None:
        """Store on every writable remote that is still enabled."""
        blob = None
        for r in self.remotes:
            if r.read_only or r.disabled is not None:
                continue
            blob = blob or self.envelope(key, payload)
            a = r.put(key, blob)
            if a.failed:
                self._failed(a)

    def close(self) -> None:
        for r in self.remotes:
            r.close()

