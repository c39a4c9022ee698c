"""Offline sharing: `lazycc --cache-export FILE` and `lazycc --cache-import FILE`.

For machines that share no server (air-gapped CI, a release tarball of decisions). The
file holds rewrite decisions only, one JSON line each (cache key + the entry record),
after a header line. Import trusts nothing in it: the key is recomputed from this
machine's identity (clang, policy, proposer, validator and bounds) and the entry's input
IR, so a decision for another configuration is skipped, and every rewrite is proven again
(`compile.recheck_entry`) before it enters the local cache.
"""
from __future__ import annotations

import base64
import json
import os
import sys
from dataclasses import dataclass

from lazycc.cache import CorruptEntry, LocalCache, decode_payload, encode_payload, rewrite_key
from lazycc.cache.entry import RewriteEntry
from lazycc.config import Config
from lazycc.fsutil import atomic_write

HEADER = {"format": "lazycc-rewrite-entries", "version": 1}


@dataclass(frozen=True)
class ImportCounts:
    imported: int = 0
    rejected: int = 0     # failed re-validation or malformed
    skipped: int = 0      # made under another identity (key does not match here)


def export_entries(cfg: Config, path: str) -> int:
    """Write every re-checkable rewrite decision of the local cache to `path`; returns the count."""
    cache = LocalCache(cfg.dir, cfg.max_size // 2)
    lines = [json.dumps(HEADER)]
    try:
        for key in sorted(cache.keys()):
            try:
                payload = cache.get_bytes(key)
                entry = RewriteEntry.from_dict(decode_payload(payload)) if payload else None
            except CorruptEntry:
                continue   # an object, or a damaged entry
            if entry is None or not entry.input_ir:
                continue   # written before entries carried their input: cannot be re-checked
            lines.append(json.dumps({"key": key, "entry": base64.b64encode(payload).decode()}))
    finally:
        cache.close()
    atomic_write(path, ("\n".join(lines) + "\n").encode())
    return len(lines) - 1


def import_entries(cfg: Config, clang: str, path: str, log) -> ImportCounts:
    from lazycc import ir
    from lazycc.driver.compile import Context, cache_identity, recheck_entry
    from lazycc.stats import Stats

    ir.set_clang(clang)
    ctx = Context(cfg=cfg, clang=clang, stats=Stats(), log=log)
    identity = cache_identity(ctx)
    imported = rejected = skipped = 0
    cache = LocalCache(cfg.dir, cfg.max_size // 2)
    try:
        with open(path, encoding="utf-8") as fh:
            header = json.loads(fh.readline() or "{}")
            if header.get("format") != HEADER["format"]:
                raise ValueError(f"{path}: not a lazycc export")
            for line in fh:
                try:
                    row = json.loads(line)
                    entry = RewriteEntry.from_dict(decode_payload(base64.b64decode(row["entry"])))
                except (ValueError, KeyError, TypeError, CorruptEntry) as exc:
                    rejected += 1
                    log(f"import: malformed line: {exc!r}")
                    continue
                key = rewrite_key(identity, entry.opt_level, entry.input_ir)
                if key != row.get("key"):
                    skipped += 1
                    continue
                if entry.decision == "rewritten":
                    ok, why = (False, "incomplete") if not (entry.rewritten and entry.changes) else \
                        recheck_entry(ctx, ir.IRModule(entry.input_ir, name=f"<import {key[:12]}>",
                                                       opt_level=entry.opt_level), entry)
                    if not ok:
                        rejected += 1
                        log(f"import: {key[:12]} rejected: {why}")
                        continue
                cache.put_bytes(key, encode_payload(entry.to_dict()))
                imported += 1
    finally:
        cache.close()
        ctx.close()
    return ImportCounts(imported, rejected, skipped)


def main(opt: str, argv: list[str], cfg: Config, clang: str) -> int:
    """The two admin commands (cli.admin hands them here)."""
    if not argv:
        print(f"lazycc: error: {opt} needs a file", file=sys.stderr)
        return 2
    path = os.path.abspath(argv[0])
    if opt == "--cache-export":
        n = export_entries(cfg, path)
        print(f"Exported {n} rewrite decisions to {path}")
        return 0
    from lazycc.driver.log import Logger

    log = Logger(cfg.log)
    counts = import_entries(cfg, clang, path, log)
    print(f"Imported {counts.imported} rewrite decisions ({counts.rejected} rejected by re-validation, "
          f"{counts.skipped} made under another configuration)")
    return 0 if counts.rejected == 0 else 1
