"""The rewrite-cache entry as a typed record: everything needed to re-check it elsewhere.

A decision fetched from another machine is code we did not produce. To prove it
again we need the input it was made for (digest and normalised text), the rewritten
IR, the rewriter's `Changes` record (which callers to check, which functions were
added), and what the verdict was relative to (validator version and bounds, proposer
identity, rendered cache identity). The stored form is the JSON dict the local cache
always held (same keys, so old readers keep working) plus those fields.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from lazycc.cache import CorruptEntry, sha256

DECISIONS = ("rewritten", "unchanged", "rejected")


@dataclass(frozen=True)
class ChangesRecord:
    """The rewriter's `Changes` as plain data (the cache must not import the rewriter)."""

    sites: tuple[str, ...] = ()
    callers: tuple[str, ...] = ()
    clones: tuple[tuple[str, str, tuple[int, ...]], ...] = ()   # (name, original, deferred params)
    force_functions: tuple[str, ...] = ()
    thunk_prefix: str = ""

    @classmethod
    def from_dict(cls, d: dict) -> "ChangesRecord":
        try:
            return cls(tuple(map(str, d["sites"])), tuple(map(str, d["callers"])),
                       tuple((str(n), str(o), tuple(int(p) for p in ps)) for n, o, ps in d["clones"]),
                       tuple(map(str, d["force_functions"])), str(d["thunk_prefix"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptEntry(f"bad changes record: {exc!r}") from exc

    def to_dict(self) -> dict:
        return {"sites": list(self.sites), "callers": list(self.callers),
                "clones": [[n, o, list(ps)] for n, o, ps in self.clones],
                "force_functions": list(self.force_functions), "thunk_prefix": self.thunk_prefix}


@dataclass(frozen=True)
class RewriteEntry:
    decision: str                      # rewritten | unchanged | rejected
    verdict: str = ""                  # "correct" when rewritten
    ir: str | None = None              # the verified rewritten module (rewritten only)
    input_digest: str = ""             # sha256 of `input_ir`
    input_ir: str = ""                 # the normalised module the decision is for
    opt_level: str = ""
    stage: str = ""                    # lazification stage (raw | post-inline)
    identity: str = ""                 # cache.Identity.render() of the writer
    changes: ChangesRecord | None = None
    proposer: str = ""
    validator: str = ""
    bounds: str = ""
    accepted_sites: tuple[str, ...] = ()
    rejected_sites: tuple[str, ...] = ()
    iterations: int = 0
    verdicts: tuple[tuple, ...] = ()   # (function, verdict, reason, z3 units, steps)
    candidates: int = 0
    safe: int = 0
    functions: tuple[tuple, ...] = ()
    times: dict = field(default_factory=dict, compare=False)

    @property
    def rewritten(self) -> bool:
        return self.decision == "rewritten" and self.verdict == "correct" and self.ir is not None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["changes"] = self.changes.to_dict() if self.changes is not None else None
        for k in ("accepted_sites", "rejected_sites"):
            d[k] = list(d[k])
        d["verdicts"] = [list(v) for v in self.verdicts]
        d["functions"] = [list(f) for f in self.functions]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "RewriteEntry":
        """Parse a stored dict; anything malformed is a CorruptEntry (never half-trusted)."""
        if d.get("decision") not in DECISIONS:
            raise CorruptEntry(f"bad decision {d.get('decision')!r}")
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        try:
            if kw.get("changes") is not None:
                kw["changes"] = ChangesRecord.from_dict(kw["changes"])
            for k in ("accepted_sites", "rejected_sites"):
                kw[k] = tuple(map(str, kw.get(k, ())))
            for k in ("verdicts", "functions"):
                kw[k] = tuple(tuple(v) for v in kw.get(k, ()))
            entry = cls(**kw)
        except (TypeError, ValueError) as exc:
            raise CorruptEntry(f"bad rewrite entry: {exc!r}") from exc
        if entry.ir is not None and not isinstance(entry.ir, str):
            raise CorruptEntry("bad rewritten IR")
        if entry.input_ir and sha256(entry.input_ir) != entry.input_digest:
            raise CorruptEntry("input IR does not match its digest")
        return entry
