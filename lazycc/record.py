"""Per-compile records: one JSON line per module that lazycc compiles.

`LAZYCC_RECORD=DIR` makes every lazycc invocation append one `CompileRecord` to
`DIR/records-<hostname>-<pid>.jsonl`.  `lazycc-bench` reads these files (never the text log) to
report fallbacks, lazified functions, validator verdicts, tries per function, per-stage compile
time (including work done in the compile server, which lit's `compile_time` cannot see) and the
structure of the IR before and after the rewrite.

This module is imported by the driver on every compile, so it stays import-light: json, os and
dataclasses (plus the builtin `time` for the timestamp; `typing` comes with dataclasses).

Concurrency: a build runs many compilers at once (`make -j`, ninja), and the compile server may
write on behalf of several clients.  Each record is written with a single `os.write` on a file
opened with `O_APPEND`, so a line is never interleaved with another writer's line (POSIX makes
O_APPEND seek-and-write atomic for a regular local file).  The file name carries the writer's pid
as well, so in the common case each process owns its file.  A writer killed mid-line can leave a
truncated last line: `read_records` skips any line that does not parse.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time as _time
from dataclasses import dataclass, field
from typing import Any, Iterator

#: Bump when a field changes meaning or is removed (adding a field is not a bump: readers ignore
#: unknown keys and default missing ones).
SCHEMA_VERSION = 1

# "instrumented": a -fprofile-generate-like training build; "cached": a direct-mode hit replayed
# the object without deciding anything (no structure, no functions)
OUTCOMES = ("rewritten", "unchanged", "rejected", "fallback", "instrumented", "cached")
CACHE_STATES = ("miss", "direct-hit", "rewrite-hit")
VERDICT_KINDS = ("verified", "incorrect", "unsupported", "timeout", "inconclusive", "error")
STAGES = ("emit", "candidates", "propose", "rewrite", "validate", "lower", "total")
STRUCTURE_KEYS = ("instructions", "blocks", "functions", "loads", "stores", "calls", "branches",
                  "ir_lines")
FUNCTION_KEYS = ("candidates", "safe", "deferred", "tries", "first_try_failed")


def _now_iso() -> str:
    return _time.strftime("%Y-%m-%dT%H:%M:%SZ", _time.gmtime())


@dataclass(frozen=True)
class CompileRecord:
    """What one lazycc invocation did to one module.

    `functions` maps a function name to {"candidates", "safe", "deferred", "tries",
    "first_try_failed"}: `tries` is the number of proposer/validator rounds the function went
    through, `first_try_failed` whether the first proposal was not accepted.  `verdicts` counts
    validator verdicts by kind (VERDICT_KINDS).  `stages` maps a stage name (STAGES) to
    {"wall_s", "cpu_s"} and includes work done in the compile server.  `structure` is
    {"before": counts, "after": counts} with counts from `structure_counts` (after == before when
    nothing was rewritten).
    """

    source: str
    output: str
    flags: list = field(default_factory=list)
    policy: str = ""
    stage: str = ""
    opt_level: str = ""
    outcome: str = "unchanged"
    cache: str = "miss"
    candidates: int = 0
    safe: int = 0
    deferred: int = 0
    functions: dict = field(default_factory=dict)
    verdicts: dict = field(default_factory=dict)
    fallback: str | None = None
    stages: dict = field(default_factory=dict)
    structure: dict = field(default_factory=dict)
    schema: int = SCHEMA_VERSION
    time: str = field(default_factory=_now_iso)
    pid: int = field(default_factory=os.getpid)
    cwd: str = field(default_factory=os.getcwd)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CompileRecord":
        """Forward-compatible: unknown keys (from a newer writer) are dropped."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def record_path(directory: str) -> str:
    return os.path.join(directory, f"records-{os.uname().nodename}-{os.getpid()}.jsonl")


def append_record(directory: str, rec: CompileRecord | dict) -> str:
    """Append one JSON line for `rec` to DIR/records-<hostname>-<pid>.jsonl; return the path.

    One `os.write` of the whole line on an O_APPEND descriptor: atomic with respect to other
    appenders, so safe under `make -j`.
    """
    os.makedirs(directory, exist_ok=True)
    if isinstance(rec, CompileRecord):
        line = rec.to_json()
    else:
        line = json.dumps(rec, sort_keys=True, separators=(",", ":"))
    data = (line + "\n").encode("utf-8")
    path = record_path(directory)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, data)
        if written != len(data):  # only on a full disk or a signal; never leave half a line unmarked
            os.write(fd, b"\n")
    finally:
        os.close(fd)
    return path


def iter_record_dicts(directory: str) -> Iterator[dict[str, Any]]:
    """Every parseable record line under `directory` (files records-*.jsonl, sorted by name).

    A truncated or otherwise unparseable line (a writer killed mid-line) is skipped.
    """
    if not os.path.isdir(directory):
        return
    for name in sorted(os.listdir(directory)):
        if not (name.startswith("records-") and name.endswith(".jsonl")):
            continue
        with open(os.path.join(directory, name), "rb") as f:
            for raw in f:
                raw = raw.strip()
                if not raw:
                    continue
                try:
                    d = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(d, dict):
                    yield d


def read_records(directory: str) -> list[CompileRecord]:
    """All records under `directory`, as CompileRecord; tolerant of a truncated last line."""
    out = []
    for d in iter_record_dicts(directory):
        try:
            out.append(CompileRecord.from_dict(d))
        except TypeError:  # a line missing required fields
            continue
    return out


# --- structure of an LLVM IR module, by cheap line classification -------------------------------

_BRANCH_OPS = ("br", "switch", "indirectbr", "callbr", "invoke")
_TERMINATORS = ("ret", "br", "switch", "indirectbr", "invoke", "callbr", "resume", "unreachable",
                "cleanupret", "catchret", "catchswitch")


def structure_counts(ir_text: str) -> dict[str, int]:
    """Counts of a textual LLVM IR module: STRUCTURE_KEYS.

    A cheap line classifier, not a parser (exact for IR printed by LLVM, one instruction per line):
    - `functions`: `define` lines (declarations are not counted);
    - `blocks`: the entry block of each definition plus every label line (`name:` at column 0);
    - `instructions`: non-empty, non-comment lines inside a function body other than labels and
      the closing `}`;
    - `loads` / `stores`: instructions whose opcode is `load` / `store` (atomic and volatile forms
      included);
    - `calls`: `call` and `invoke` (intrinsics included, `callbr` too);
    - `branches`: `br`, `switch`, `indirectbr`, `callbr`, `invoke` (unconditional `br` included);
    - `ir_lines`: every non-empty line of the module that is not only a comment.
    """
    counts = dict.fromkeys(STRUCTURE_KEYS, 0)
    in_fn = False
    entry_pending = False
    for line in ir_text.splitlines():
        s = line.strip()
        if not s or s.startswith(";"):
            continue
        counts["ir_lines"] += 1
        if not in_fn:
            if s.startswith("define ") or s == "define":
                counts["functions"] += 1
                counts["blocks"] += 1  # entry block (its label is implicit or on the next line)
                in_fn = not s.endswith("}")
                entry_pending = True
            continue
        if s == "}":
            in_fn = False
            continue
        if not line[:1].isspace() and _is_label(s):
            # a label; the first label directly after `define` names the entry block
            if entry_pending:
                entry_pending = False
            else:
                counts["blocks"] += 1
            continue
        entry_pending = False
        counts["instructions"] += 1
        op = _opcode(s)
        if op == "load":
            counts["loads"] += 1
        elif op == "store":
            counts["stores"] += 1
        if op in ("call", "invoke", "callbr"):
            counts["calls"] += 1
        if op in _BRANCH_OPS:
            counts["branches"] += 1
    return counts


def _is_label(s: str) -> bool:
    """`bb3:` or `bb3:  ; preds = %1` or `"odd name":`."""
    head = s.split(";", 1)[0].rstrip()
    return head.endswith(":")


def _opcode(s: str) -> str:
    """The opcode of one instruction line: after `%x = `, skipping tail/musttail/notail."""
    if s.startswith("%") and " = " in s:
        s = s.split(" = ", 1)[1]
    words = s.split()
    for w in words:
        if w in ("tail", "musttail", "notail"):
            continue
        return w.rstrip(",")
    return ""
