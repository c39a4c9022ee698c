"""Counters: one table. `--show-stats [--json|--markdown]` and the README derive from it.

Counters are `Stat` members and pass-through reasons `Reason` members (values, not
strings: a misspelt counter is an AttributeError at import-checked call sites, never a
KeyError swallowed by a fallback). `COUNTERS` describes every `Stat` once, `REASONS`
every `Reason`. Stored as JSON in $LAZYCC_DIR/stats.json (keyed by the members' stable
ids, never reused), updated under an flock with one read-modify-write per invocation
(so `make -j` never loses a count).
"""
from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass

import fcntl
from contextlib import contextmanager


@contextmanager
def _locked(path: str):
    """Exclusive advisory lock on `path` (fcntl: no import cost on every compile)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class Stat(enum.Enum):
    """A counter; the value is its stable id in stats.json (never renamed or reused)."""

    COMPILATIONS = "compilations"
    COMPILE_ERRORS = "compile_errors"
    CACHE_HITS = "cache_hits"
    CACHE_MISSES = "cache_misses"
    DIRECT_HITS = "direct_hits"
    OBJECT_HITS = "object_hits"
    CACHE_CORRUPT = "cache_corrupt"
    CACHE_ERRORS = "cache_errors"
    REMOTE_HITS = "remote_hits"
    REMOTE_MISSES = "remote_misses"
    REMOTE_ERRORS = "remote_errors"
    REMOTE_TIMEOUTS = "remote_timeouts"
    REMOTE_REJECTED = "remote_rejected"
    REWRITES_ACCEPTED = "rewrites_accepted"
    REWRITES_REJECTED = "rewrites_rejected"
    MODULES_REWRITTEN = "modules_rewritten"
    MODULES_INSTRUMENTED = "modules_instrumented"
    MODULES_UNCHANGED = "modules_unchanged"
    VERDICTS_VERIFIED = "verdicts_verified"
    VERDICTS_INCORRECT = "verdicts_incorrect"
    VERDICTS_UNSUPPORTED = "verdicts_unsupported"
    VERDICTS_TIMEOUT = "verdicts_timeout"
    VERDICTS_INCONCLUSIVE = "verdicts_inconclusive"
    VERDICTS_ERROR = "verdicts_error"
    LTO_LINKS = "lto_links"
    LTO_MODULES_REWRITTEN = "lto_modules_rewritten"
    LTO_REWRITES_ACCEPTED = "lto_rewrites_accepted"
    LTO_FALLBACKS = "lto_fallbacks"
    FALLBACKS = "fallbacks"
    DEADLINE_FALLBACKS = "deadline_fallbacks"
    TIME_TOTAL_S = "time_total_s"
    TIME_EMIT_S = "time_emit_s"
    TIME_CANDIDATES_S = "time_candidates_s"
    TIME_PROPOSE_S = "time_propose_s"
    TIME_REWRITE_S = "time_rewrite_s"
    TIME_VALIDATE_S = "time_validate_s"
    TIME_LOWER_S = "time_lower_s"


class Reason(enum.Enum):
    """Why a command line was passed through to clang untouched; the value is the stats id.

    The driver's classifier returns these (`driver.classify.PassThrough`); they live
    here so the counter tables (and their docs) are in one module."""

    LINK = "link"                        # link only, no C source to compile
    PREPROCESS = "preprocess"            # -E, -M/-MM without a compile
    ASSEMBLY = "assembly"                # -S
    SYNTAX_ONLY = "syntax_only"          # -fsyntax-only
    PROBE = "probe"                      # --version, -v, -###, -dumpversion, -print-*
    STDIN = "stdin"                      # source is `-`
    STDOUT = "stdout"                    # -o -
    MULTIPLE_SOURCES = "multiple_sources"  # -c with several sources
    OTHER_LANGUAGE = "other_language"    # not C (-x c++, .cpp, .s, .ll ...)
    NO_INPUT = "no_input"
    UNSUPPORTED_OPTION = "unsupported_option"  # an option whose effect we do not model
    DISABLED = "disabled"                # LAZYCC_DISABLE
    CONFIG_ERROR = "config_error"        # invalid lazycc setting: clang untouched
    OTHER_COMPILER = "other_compiler"    # launcher form in front of a compiler that is not clang


@dataclass(frozen=True)
class Counter:
    stat: Stat
    description: str
    group: str  # "compile" | "cache" | "remote" | "rewrite" | "validator" | "lto" | "error" | "time"

    @property
    def id(self) -> str:
        return self.stat.value


S = Stat
# The one description table (tests tie it to `Stat`: every member once). Each row says
# when it is bumped; `--show-stats` and the README's counters table are generated from it.
COUNTERS: tuple[Counter, ...] = (
    # once per rewrite-path compile of one C source (incl. each source of a compile-and-link)
    Counter(S.COMPILATIONS, "rewrite-path compiles", "compile"),
    # user's code failed to compile: clang's diagnostics and exit code were returned
    Counter(S.COMPILE_ERRORS, "compiles that failed in clang (user error)", "compile"),
    # a stored decision was reused: a direct-mode hit, or a rewrite-cache hit on the IR
    Counter(S.CACHE_HITS, "cache hits", "cache"),
    # rewrite-cache lookup found nothing (or a corrupt entry) and the pipeline ran
    Counter(S.CACHE_MISSES, "cache misses", "cache"),
    # direct mode: a whole compile result (object, depfile, diagnostics) replayed without clang
    Counter(S.DIRECT_HITS, "direct-mode hits (no clang run)", "cache"),
    # an object for the same IR + lowering flags was reused
    Counter(S.OBJECT_HITS, "object cache hits", "cache"),
    # an entry failed its integrity check and was discarded
    Counter(S.CACHE_CORRUPT, "corrupt cache entries discarded", "cache"),
    # a cache read/write raised; treated as a miss, the compile went on
    Counter(S.CACHE_ERRORS, "cache errors (treated as miss)", "cache"),
    # LAZYCC_REMOTE: a local miss found on a remote, checked (re-validated or trusted signature)
    # and copied to the local cache
    Counter(S.REMOTE_HITS, "remote cache hits (checked, copied locally)", "remote"),
    # a local miss that no enabled remote had
    Counter(S.REMOTE_MISSES, "remote cache misses", "remote"),
    # a remote failed (connection, HTTP status, garbage entry, bad key file): disabled for the
    # rest of that invocation (garbage entries: skipped), the compile went on
    Counter(S.REMOTE_ERRORS, "remote cache errors (remote disabled for the invocation)", "remote"),
    Counter(S.REMOTE_TIMEOUTS, "remote cache timeouts (remote disabled for the invocation)", "remote"),
    # a fetched entry failed re-validation or lacked a required signature: never used, the
    # compile went on as a miss
    Counter(S.REMOTE_REJECTED, "remote entries rejected (failed re-validation or signature)", "remote"),
    # per call-site argument: the validator proved the rewrite and it went into the object
    Counter(S.REWRITES_ACCEPTED, "deferred arguments accepted (verified)", "rewrite"),
    # per call-site argument: proposed but not proven (incorrect, unknown, timeout)
    Counter(S.REWRITES_REJECTED, "deferred arguments rejected by the validator", "rewrite"),
    # modules whose object contains a verified rewrite
    Counter(S.MODULES_REWRITTEN, "modules rewritten", "rewrite"),
    # LAZYCC_PROFILE_GENERATE builds: modules lowered with per-site use counters (not validated)
    Counter(S.MODULES_INSTRUMENTED, "modules instrumented for profiling", "rewrite"),
    # modules compiled without any rewrite (nothing worth doing, or nothing proven)
    Counter(S.MODULES_UNCHANGED, "modules left unchanged", "rewrite"),
    # per changed function checked by the validator in a pipeline run (not on cache hits),
    # by verdict kind; a kind the table does not know counts as `error`
    Counter(S.VERDICTS_VERIFIED, "validator verdicts: verified (correct)", "validator"),
    Counter(S.VERDICTS_INCORRECT, "validator verdicts: incorrect", "validator"),
    Counter(S.VERDICTS_UNSUPPORTED, "validator verdicts: unsupported", "validator"),
    Counter(S.VERDICTS_TIMEOUT, "validator verdicts: timeout (budget spent)", "validator"),
    Counter(S.VERDICTS_INCONCLUSIVE, "validator verdicts: inconclusive", "validator"),
    Counter(S.VERDICTS_ERROR, "validator verdicts: internal error", "validator"),
    # whole-program mode (LAZYCC_LTO): a `-flto` link whose bitcode objects were merged and run
    # through the pipeline (cache hits included); a rewritten merged module is linked instead
    Counter(S.LTO_LINKS, "full-LTO links whose bitcode inputs were merged and lazified", "lto"),
    Counter(S.LTO_MODULES_REWRITTEN, "full-LTO links that linked a verified rewrite", "lto"),
    Counter(S.LTO_REWRITES_ACCEPTED, "deferred arguments accepted at link time (verified)", "lto"),
    # the merge, the pipeline, writing the module or the rewritten link failed: the user's
    # link ran unchanged (also counted in `fallbacks`)
    Counter(S.LTO_FALLBACKS, "full-LTO links that ran the user's link unchanged after a failure", "lto"),
    # an internal failure or timeout: the object came from plain clang instead
    Counter(S.FALLBACKS, "internal failures that fell back to plain clang", "error"),
    Counter(S.DEADLINE_FALLBACKS, "rewrite pipelines killed at LAZYCC_TIMEOUT (not cached)", "error"),
    Counter(S.TIME_TOTAL_S, "seconds spent in lazycc rewrite-path compiles", "time"),
    Counter(S.TIME_EMIT_S, "seconds emitting IR (clang front end)", "time"),
    Counter(S.TIME_CANDIDATES_S, "seconds in candidate analysis", "time"),
    Counter(S.TIME_PROPOSE_S, "seconds in the proposer", "time"),
    Counter(S.TIME_REWRITE_S, "seconds in the rewriter", "time"),
    Counter(S.TIME_VALIDATE_S, "seconds in the validator", "time"),
    Counter(S.TIME_LOWER_S, "seconds lowering IR to objects", "time"),
)

# One line per pass-through reason (README and `--show-stats --markdown`).
REASONS: dict[Reason, str] = {
    Reason.LINK: "link only, no C source to compile",
    Reason.PREPROCESS: "`-E`, or `-M`/`-MM` without a compile",
    Reason.ASSEMBLY: "`-S`",
    Reason.SYNTAX_ONLY: "`-fsyntax-only`",
    Reason.PROBE: "`--version`, `-v`, `-###`, `-dumpversion`, `-print-*`",
    Reason.STDIN: "source read from stdin (`-`)",
    Reason.STDOUT: "`-o -`",
    Reason.MULTIPLE_SOURCES: "`-c` with several sources",
    Reason.OTHER_LANGUAGE: "not C (`-x c++`, `.cpp`, `.s`, `.ll` ...)",
    Reason.NO_INPUT: "`-c` without an input",
    Reason.UNSUPPORTED_OPTION: "an option whose effect lazycc does not model (`-Xclang`, `-fsanitize=`, ...)",
    Reason.DISABLED: "`LAZYCC_DISABLE` is set",
    Reason.CONFIG_ERROR: "an invalid lazycc setting: clang untouched",
    Reason.OTHER_COMPILER: "launcher form in front of a compiler that is not clang",
}

# Validator verdict kinds (`validator.Verdict` values) -> counters; anything else is an error.
VERDICT_STATS: dict[str, Stat] = {
    "correct": S.VERDICTS_VERIFIED,
    "incorrect": S.VERDICTS_INCORRECT,
    "unsupported": S.VERDICTS_UNSUPPORTED,
    "timeout": S.VERDICTS_TIMEOUT,
    "inconclusive": S.VERDICTS_INCONCLUSIVE,
    "error": S.VERDICTS_ERROR,
}


def verdict_stat(kind: str) -> Stat:
    """The counter of a validator verdict kind (its `Verdict` value); unknown kinds are errors."""
    return VERDICT_STATS.get(kind, S.VERDICTS_ERROR)


STATS_FILE = "stats.json"
# Deltas appended ("<id> <amount>" lines, under the same lock) by the native client
# (native/lazycc-fast.c), which writes no JSON; folded into STATS_FILE by the next flush.
PENDING_FILE = "stats.pending"


class Stats:
    """Per-invocation deltas, flushed once into the shared stats file."""

    def __init__(self) -> None:
        self.delta: dict[str, float] = {}
        self.passthrough: dict[str, int] = {}

    def bump(self, stat: Stat, amount: float = 1) -> None:
        if not isinstance(stat, Stat):
            raise TypeError(f"not a counter: {stat!r}")
        self.delta[stat.value] = self.delta.get(stat.value, 0) + amount

    def bump_passthrough(self, reason: Reason) -> None:
        if not isinstance(reason, Reason):
            raise TypeError(f"not a pass-through reason: {reason!r}")
        self.passthrough[reason.value] = self.passthrough.get(reason.value, 0) + 1

    def flush(self, cache_dir: str) -> None:
        """Merge deltas into the stats file; never raises (stats must not break a build)."""
        if not self.delta and not self.passthrough:
            return
        try:
            os.makedirs(cache_dir, exist_ok=True)
            path = os.path.join(cache_dir, STATS_FILE)
            with _locked(path + ".lock"):
                data = _totals(cache_dir)
                for k, v in self.delta.items():
                    data[k] = data.get(k, 0) + v
                pt = data.setdefault("passthrough", {})
                for k, v in self.passthrough.items():
                    pt[k] = pt.get(k, 0) + v
                tmp = f"{path}.{os.getpid()}.tmp"
                with open(tmp, "w") as fh:
                    json.dump(data, fh, sort_keys=True)
                os.replace(tmp, path)
                try:
                    os.remove(os.path.join(cache_dir, PENDING_FILE))
                except FileNotFoundError:
                    pass
            self.delta.clear()
            self.passthrough.clear()
        except (OSError, ValueError):
            pass


def read(cache_dir: str) -> dict:
    """Current totals with every counter present (zero when never bumped)."""
    try:
        with _locked(os.path.join(cache_dir, STATS_FILE) + ".lock"):
            return _totals(cache_dir)
    except OSError:  # no cache dir yet (or read-only): nothing was counted there
        return _totals(cache_dir)


def _pending(cache_dir: str) -> dict[str, float]:
    out: dict[str, float] = {}
    try:
        with open(os.path.join(cache_dir, PENDING_FILE)) as fh:
            for line in fh:
                key, _, value = line.strip().partition(" ")
                try:
                    out[key] = out.get(key, 0) + (int(value) if value.isdigit() else float(value))
                except ValueError:
                    continue  # a torn line: lost, never fatal
    except OSError:
        pass
    return out


def _totals(cache_dir: str) -> dict:
    """stats.json plus the native client's pending deltas (call under the lock)."""
    data: dict = {}
    try:
        with open(os.path.join(cache_dir, STATS_FILE)) as fh:
            data = json.load(fh)
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    for k, v in _pending(cache_dir).items():
        if k.startswith("passthrough."):  # the native client's pass-throughs, by reason
            pt = data.setdefault("passthrough", {})
            if isinstance(pt, dict):
                pt[k[12:]] = pt.get(k[12:], 0) + v
        elif isinstance(data.get(k, 0), (int, float)):
            data[k] = data.get(k, 0) + v
    for c in COUNTERS:
        data.setdefault(c.id, 0)
    data.setdefault("passthrough", {})
    return data


def zero(cache_dir: str) -> None:
    path = os.path.join(cache_dir, STATS_FILE)
    os.makedirs(cache_dir, exist_ok=True)
    with _locked(path + ".lock"):
        for f in (path, os.path.join(cache_dir, PENDING_FILE)):
            try:
                os.remove(f)
            except FileNotFoundError:
                pass


def format_table(data: dict, extra: dict | None = None) -> str:
    rows: list[tuple[str, str]] = []
    group = None
    for c in COUNTERS:
        if c.group != group:
            group = c.group
            rows.append((f"[{group}]", ""))
        v = data.get(c.id, 0)
        rows.append(("  " + c.description, f"{v:.3f}" if c.group == "time" else str(int(v))))
    rows.append(("[passthrough]", ""))
    pt = data.get("passthrough", {})
    rows.append(("  total", str(sum(pt.values()))))
    for reason in sorted(pt):
        rows.append((f"  {reason}", str(pt[reason])))
    for k, v in (extra or {}).items():
        rows.append((k, str(v)))
    width = max(len(r[0]) for r in rows) + 2
    return "\n".join(f"{a:<{width}}{b:>12}" if b else a for a, b in rows)


def markdown_table() -> str:
    """The README's counters table (`lazycc --show-stats --markdown`)."""
    lines = ["| counter | group | meaning |", "|---|---|---|"]
    lines += [f"| `{c.id}` | {c.group} | {c.description} |" for c in COUNTERS]
    lines += [f"| `passthrough.{r.value}` | passthrough | {REASONS[r]} |" for r in Reason]
    return "\n".join(lines)
