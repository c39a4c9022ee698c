"""Differential testing of `lazycc-tv` against alive-tv (or against the tests' own expectations).

    python integration/tv_differential.py [--alive-tv PATH] [--timeout-ms N] [--jobs N]
                                          [--json OUT] [--limit N] [--no-fail] DIR_OR_FILE...

Tests are collected like Alive2's lit suite does: `X.srctgt.ll` (pairs @src/@tgt, @srcN/@tgtN,
@src_x/@tgt_x in one file), `X.src.ll` + `X.tgt.ll` (same-named functions) and `X.ident.ll` (the file
against itself), recursively under each directory given.

Each test's own `; TEST-ARGS:` line is read.  `-src-unroll=K`/`-tgt-unroll=K` become lazycc-tv's
`--unroll max(K_src, K_tgt)` (0 when absent, alive-tv's default; `--default-unroll` changes that for
both tools); flags that only change what alive-tv prints (`-dbg`, `-se-verbose`, `-quiet`, the last
dropped so that pairs stay named) and `-disable-undef-input` (lazycc-tv assumes it always) are fine;
`-func=NAME` restricts both tools to those functions.  A test with any other argument (`-tgt-is-asm`,
`-passes=`, `-disallow-ub-exploitation`, `-disable-poison-input`, `-bidirectional`, ...) changes
semantics lazycc-tv cannot reproduce and is skipped ("skipped (args)").

Every test runs `python -m lazycc.validator.cli --json --unroll K --timeout-ms N FILES` in its own
process; with `--alive-tv PATH` (or `$LAZYCC_ALIVE_TV`) also `alive-tv -always-verify -smt-to=N ARGS
FILES` (as the lit suite runs it, undef inputs allowed).  lazycc-tv assumes inputs are not undef, so
the tests with an "unsound" pair are run again with alive-tv `-disable-undef-input`: a pair alive-tv
then proves correct is listed as unsound only with undef inputs, and not counted as unsound.  The reference verdict per pair is alive-tv's text
output when alive-tv is available, else the test file's expectation (`; ERROR: <message>`,
`; CHECK: ...`, `; EXPECT: correct`; no marker in an Alive2 test means correct).  The expectation is
recorded in every row either way.

Report (stdout; every row with `--json OUT`): a confusion matrix (reference correct / incorrect /
failed / error by lazycc-tv correct / incorrect / unsupported / timeout / inconclusive / error /
traceback), every UNSOUND pair (lazycc-tv "correct", reference "incorrect"), false alarms by reason,
coverage gaps by reason, the share of reference-decided pairs lazycc-tv decides, lazycc-tv tracebacks
(a Python traceback on stderr, or an exit status other than 0/1) and latency (wall and CPU time per
process for both tools, lazycc-tv's in-process solve time per pair).

Exit status: 1 if there is an unsound pair or a traceback (0 with `--no-fail`), 2 on a bad command line.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHES = "-" * 40

REF_ROWS = ("correct", "incorrect", "failed", "error")
LAZY_COLS = ("correct", "incorrect", "unsupported", "timeout", "inconclusive", "error", "traceback")
DECIDED = ("correct", "incorrect")

# alive-tv's messages for an unsound transformation (tools/transform.cpp), used to classify a
# test file's `; ERROR:` expectation.  Everything else is a failure to prove, or an Alive2 error.
UNSOUND_MESSAGES = (
    "Source is more defined than target", "Source and target don't have the same return domain",
    "Target is more poisonous than source", "Target's return value is more undefined",
    "Value mismatch", "Mismatch in memory", "Function attributes not refined",
    "Parameter attributes not refined", "Transformation is incorrect because",
    "Source has guardable UB", "Target has guardable UB", "Source has reachable unreachable",
    "Target has reachable unreachable", "Source returns poison", "Target returns poison",
    "Source returns undef", "Target returns undef", "Transformation doesn't verify",
)
ALIVE_ERROR_MESSAGES = ("Could not translate", "program doesn't type check", "Unsupported instruction",
                        "Unsupported attribute", "Unsupported metadata", "Unsupported type")

# TEST-ARGS handling.
UNROLL_RE = re.compile(r"^--?(src|tgt)-unroll=(\d+)$")
HARMLESS_ARGS = {"-disable-undef-input", "-dbg", "-se-verbose", "-always-verify"}
DROPPED_ARGS = {"-quiet"}          # alive-tv then prints no `define` lines: pairs could not be named
FUNC_RE = re.compile(r"^--?func=(.+)$")

RE_ARGS = re.compile(r"(?:;|//)\s*TEST-ARGS:(.*)")
RE_ERR = re.compile(r";\s*ERROR:\s*(.*)")
RE_EXPECT = re.compile(r";\s*EXPECT:\s*(.*)")
RE_XFAIL = re.compile(r";\s*XFAIL:\s*(.*)")
RE_CHECK = re.compile(r"(?:;|//)\s*CHECK:(.*)")
RE_CHECK_NOT = re.compile(r"(?:;|//)\s*CHECK-NOT:(.*)")
RE_DEFINE = re.compile(r'^define\b[^@\n]*@("(?:[^"\\]|\\.)*"|[-\w.$]+)\s*\(', re.M)
RE_ALIVE_DEFINE = re.compile(r'^define\b[^@]*@("(?:[^"\\]|\\.)*"|[-\w.$#]*)\s*\(')  # `@(`: anonymous
RE_TRANSLATE = re.compile(r"^ERROR: Could not translate '(.*)' to Alive IR$")
RE_SUMMARY = re.compile(r"^\s*(\d+) (correct|incorrect|failed-to-prove) transformations$|^\s*(\d+) Alive2 errors$")


# ---------------------------------------------------------------------------------------------
# data

@dataclass
class Expectation:
    verdict: str          # correct / incorrect / failed / error / unknown
    reason: str = ""


@dataclass
class Test:
    """One test: the files given to both tools and what the test file says about itself."""

    name: str                                  # display name (the src / srctgt / ident file)
    kind: str                                  # srctgt / pair / ident
    files: list[str]                           # as passed to the tools
    args: list[str] = field(default_factory=list)       # TEST-ARGS tokens
    alive_args: list[str] = field(default_factory=list)  # what alive-tv gets from them
    unroll: int = 0
    only: list[str] | None = None              # -func=
    skip: str | None = None                    # why it is not run
    pairs: list[tuple[str, str]] = field(default_factory=list)   # static pairing, alive-tv's rules
    expected: dict[str, Expectation] = field(default_factory=dict)  # per src name


@dataclass
class Proc:
    """One finished child process."""

    argv: list[str]
    rc: int | None              # None when killed at the wall limit
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float

    @property
    def killed(self) -> bool:
        return self.rc is None


@dataclass
class AlivePair:
    src: str | None
    tgt: str | None
    verdict: str                # correct / incorrect / failed / error
    reason: str = ""
    undef_in_example: bool = False


@dataclass
class PairRow:
    test: str
    src: str | None
    tgt: str | None
    reference: str              # correct / incorrect / failed / error / unknown
    reference_reason: str
    lazycc: str                 # correct / incorrect / unsupported / timeout / inconclusive / error / traceback
    lazycc_reason: str
    lazycc_time_s: float | None
    expected: str               # the file's own expectation (same vocabulary as reference)
    expected_reason: str
    unroll: int
    undef_in_example: bool = False    # alive-tv's counterexample uses an undef input
    reference_no_undef: str | None = None   # alive-tv again with -disable-undef-input (unsound rows)


@dataclass
class TestRow:
    test: str
    kind: str
    files: list[str]
    args: list[str]
    unroll: int
    skipped: str | None = None
    pairs: int = 0
    lazycc_rc: int | None = None
    lazycc_wall_s: float | None = None
    lazycc_cpu_s: float | None = None
    lazycc_solve_s: float | None = None
    lazycc_traceback: str | None = None
    alive_rc: int | None = None
    alive_wall_s: float | None = None
    alive_cpu_s: float | None = None
    alive_note: str | None = None


# ---------------------------------------------------------------------------------------------
# collecting tests

def _unquote(name: str) -> str:
    return name[1:-1] if name.startswith('"') else name


def defined_functions(text: str) -> list[str]:
    return [_unquote(m.group(1)) for m in RE_DEFINE.finditer(text)]


def static_pairs(kind: str, src_text: str, tgt_text: str | None) -> list[tuple[str, str]]:
    """The pairs alive-tv compares (tools/alive-tv.cpp), found from the `define` lines."""
    names = defined_functions(src_text)
    if kind == "srctgt":
        have = set(names)
        out = []
        for n in names:
            m = re.fullmatch(r"src(\d*|_.*)", n)
            if m and "tgt" + m.group(1) in have:
                out.append((n, "tgt" + m.group(1)))
        return out
    if kind == "ident":
        return [(n, n) for n in names]
    tgt = set(defined_functions(tgt_text or ""))
    return [(n, n) for n in names if n in tgt]


def _matches(msg: str, known: tuple[str, ...]) -> bool:
    # lit matches the marker as a substring of the output, so a marker may be a shortened message
    return any(msg.startswith(k) or (len(msg) >= 12 and k.startswith(msg)) for k in known)


def classify_message(msg: str) -> str:
    msg = msg.strip()
    if _matches(msg, UNSOUND_MESSAGES):
        return "incorrect"
    if _matches(msg, ALIVE_ERROR_MESSAGES):
        return "error"
    return "failed"


def file_expectation(text: str) -> Expectation | None:
    """What the test file says about its single pair (None: nothing said)."""
    xfail = RE_XFAIL.search(text)
    if xfail:
        return Expectation("unknown", "XFAIL: " + xfail.group(1).strip())
    err = RE_ERR.search(text)
    if err:
        msg = err.group(1).strip()
        return Expectation(classify_message(msg), msg)
    checks = [c.strip() for c in RE_CHECK.findall(text)]
    for c in checks:
        if c.startswith("ERROR:"):
            msg = c[len("ERROR:"):].strip()
            return Expectation(classify_message(msg), msg)
        if "Transformation doesn't verify" in c:
            return Expectation("incorrect", "")
        if "Transformation seems to be correct" in c:
            return Expectation("correct", "")
    exp = RE_EXPECT.search(text)
    if exp:
        v = exp.group(1).strip()
        return Expectation(v if v in REF_ROWS else "unknown", "")
    if checks or RE_CHECK_NOT.search(text):
        return Expectation("unknown", "CHECK lines only (lit does not check the verdict)")
    return None


def make_test(kind: str, files: list[str], default_unroll: int) -> Test:
    main = files[0]
    t = Test(name=main, kind=kind, files=list(files))
    try:
        text = Path(main).read_text(errors="replace")
        tgt_text = Path(files[1]).read_text(errors="replace") if kind == "pair" else None
    except OSError as e:
        t.skip = f"unreadable: {e}"
        return t
    if kind == "ident":
        t.files = [main, main]
    m = RE_ARGS.search(text)
    t.args = m.group(1).split() if m else []
    unrolls = {"src": None, "tgt": None}
    bad = []
    for a in t.args:
        if (u := UNROLL_RE.match(a)):
            unrolls[u.group(1)] = int(u.group(2))
            t.alive_args.append(a)
        elif (f := FUNC_RE.match(a)):
            t.only = (t.only or []) + [f.group(1)]
            t.alive_args.append(a)
        elif a.lstrip("-") in {h.lstrip("-") for h in HARMLESS_ARGS}:
            t.alive_args.append(a)
        elif a.lstrip("-") in {d.lstrip("-") for d in DROPPED_ARGS}:
            pass
        else:
            bad.append(a)
    if bad:
        t.skip = "args: " + " ".join(bad)
    if unrolls["src"] is None and unrolls["tgt"] is None:
        t.unroll = default_unroll
        if default_unroll:
            t.alive_args += [f"-src-unroll={default_unroll}", f"-tgt-unroll={default_unroll}"]
    else:
        t.unroll = max(v or 0 for v in unrolls.values())
    t.pairs = static_pairs(kind, text, tgt_text)
    if t.only is not None:
        t.pairs = [p for p in t.pairs if p[0] in t.only]
    if not t.pairs and not t.skip:
        # alive-tv would run `-passes=O2` over the module (srctgt without pairs): not a pair test
        t.skip = "no pairs"
    exp = file_expectation(text + ("\n" + tgt_text if tgt_text else ""))
    for s, _ in t.pairs:
        if exp is None:
            t.expected[s] = Expectation("correct", "no marker")
        elif exp.verdict == "correct" or len(t.pairs) == 1:
            t.expected[s] = exp
        else:   # a marker that one (unknown) pair of several must show
            t.expected[s] = Expectation("unknown", f"some pair: {exp.verdict} {exp.reason}".strip())
    return t


def collect(paths: list[str], default_unroll: int) -> list[Test]:
    found: dict[str, tuple[str, list[str]]] = {}

    def add(p: Path) -> None:
        s = str(p)
        if s.endswith(".srctgt.ll"):
            found.setdefault(s, ("srctgt", [s]))
        elif s.endswith(".ident.ll"):
            found.setdefault(s, ("ident", [s]))
        elif s.endswith(".src.ll"):
            found.setdefault(s, ("pair", [s, s[: -len(".src.ll")] + ".tgt.ll"]))
        elif s.endswith(".tgt.ll"):
            src = s[: -len(".tgt.ll")] + ".src.ll"
            found.setdefault(src, ("pair", [src, s]))

    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            for q in sorted(p.rglob("*.ll")):
                if q.is_file() and not q.name.endswith(".tgt.ll"):
                    add(q)
        elif p.is_file():
            add(p)
        else:
            raise SystemExit(f"tv_differential: no such file or directory: {arg}")
    tests = []
    for name in sorted(found):
        kind, files = found[name]
        if kind == "pair" and not Path(files[1]).is_file():
            t = Test(name=name, kind=kind, files=files, skip="no .tgt.ll")
        else:
            t = make_test(kind, files, default_unroll)
        tests.append(t)
    return tests


# ---------------------------------------------------------------------------------------------
# running

def run_proc(argv: list[str], limit_s: float, env: dict | None = None) -> Proc:
    """Run argv, return its output, wall time and CPU time (its own rusage, from wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env,
                             start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(limit_s, kill)
        timer.start()
        try:
            while True:
                try:
                    _, status, ru = os.wait4(p.pid, 0)
                    break
                except InterruptedError:
                    continue
        finally:
            timer.cancel()
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        was_killed = killed.is_set() and p.returncode < 0
        return Proc(argv=argv, rc=None if was_killed else p.returncode,
                    stdout=out.read().decode(errors="replace"), stderr=err.read().decode(errors="replace"),
                    wall_s=wall, cpu_s=ru.ru_utime + ru.ru_stime)


def lazycc_argv(t: Test, timeout_ms: int) -> list[str]:
    # -P: the current directory is not put first on sys.path (it may hold a live `lazycc/`)
    return [sys.executable, "-P", "-m", "lazycc.validator.cli", "--json", "--unroll", str(t.unroll),
            "--timeout-ms", str(timeout_ms), *t.files]


class AliveCache:
    """alive-tv's answers on disk: a fixed binary, flags and input files give a fixed answer
    (up to its SMT timeouts), so re-runs of the differential test only pay for lazycc-tv.
    Key: the binary's path, size and mtime, the flags, and the bytes of every input file."""

    def __init__(self, root: Path | None):
        self.root = root
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    def key(self, argv: list[str], files: list[str]) -> str:
        st = os.stat(argv[0])
        h = hashlib.sha256(json.dumps([os.path.realpath(argv[0]), st.st_size, st.st_mtime_ns,
                                       [a for a in argv[1:] if a not in files]]).encode())
        for f in files:
            h.update(Path(f).read_bytes())
        return h.hexdigest()

    def run(self, argv: list[str], files: list[str], limit_s: float) -> Proc:
        if self.root is None:
            return run_proc(argv, limit_s)
        path = self.root / (self.key(argv, files) + ".json")
        try:
            return Proc(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            pass
        p = run_proc(argv, limit_s)
        if p.rc is not None:          # a process killed at the wall limit is not an answer
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(dataclasses.asdict(p)))
            os.replace(tmp, path)      # atomic: concurrent runs never see half an entry
        return p


ALIVE_CACHE = AliveCache(None)


def alive_argv(alive: str, t: Test, timeout_ms: int, extra: tuple[str, ...] = ()) -> list[str]:
    return [alive, "-always-verify", f"-smt-to={timeout_ms}", *t.alive_args, *extra, *t.files]


def lazycc_env(pkg_root: Path) -> dict:
    """The environment for lazycc-tv: `pkg_root` (holding `lazycc/`) first on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pkg_root), env.get("PYTHONPATH")]))
    return env


def snapshot_lazycc(dest: Path) -> str:
    """Copy the lazycc package to `dest` (a long run then checks one version throughout, while others
    edit the tree) and say which version it is."""
    shutil.copytree(ROOT / "lazycc", dest / "lazycc", ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-C", str(ROOT)]
    rev = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "lazycc"], capture_output=True, text=True).stdout.strip()
    return f"snapshot of {rev or '?'}{' + local changes' if dirty else ''}"


# ---------------------------------------------------------------------------------------------
# alive-tv output

def parse_alive_output(text: str) -> tuple[list[AlivePair], dict[str, int] | None]:
    """alive-tv's stdout -> per-pair verdicts (in order) and the Summary counts (None if absent).

    A pair's block starts with 40 dashes and the src and tgt `define` lines around `=>`; a pair
    that could not be translated prints no block, only `ERROR: Unsupported ...` lines and
    `ERROR: Could not translate '<fn>' to Alive IR` (after the previous block, or before the first).
    """
    lines = text.splitlines()
    summary = None
    if "Summary:" in lines:
        i = len(lines) - 1 - lines[::-1].index("Summary:")
        summary = {}
        for ln in lines[i + 1:]:
            m = RE_SUMMARY.match(ln)
            if m:
                if m.group(3) is not None:
                    summary["errors"] = int(m.group(3))
                else:
                    summary[{"failed-to-prove": "failed"}.get(m.group(2), m.group(2))] = int(m.group(1))
        lines = lines[:i]
    blocks: list[tuple[bool, list[str]]] = [(False, [])]
    for ln in lines:
        if ln == DASHES:
            blocks.append((True, []))
        else:
            blocks[-1][1].append(ln)
    pairs: list[AlivePair] = []
    for has_pair, blk in blocks:
        groups = []      # (start, end) line ranges of untranslatable functions
        for j, ln in enumerate(blk):
            if RE_TRANSLATE.match(ln):
                k = j
                while k > 0 and blk[k - 1].startswith("ERROR: ") and not RE_TRANSLATE.match(blk[k - 1]):
                    k -= 1
                groups.append((k, j))
        own = blk[: groups[0][0]] if groups else blk
        if has_pair:
            pairs.append(_parse_block(own))
        for k, j in groups:
            name = RE_TRANSLATE.match(blk[j]).group(1)
            why = "; ".join(ln[len("ERROR: "):] for ln in blk[k:j])
            pairs.append(AlivePair(name, None, "error", why or f"Could not translate '{name}' to Alive IR"))
    return pairs, summary


def _parse_block(own: list[str]) -> AlivePair:
    src = tgt = None
    after_arrow = False
    verdict_at = None
    for i, ln in enumerate(own):
        if ln == "=>":
            after_arrow = True
        elif ln.startswith("define "):
            m = RE_ALIVE_DEFINE.match(ln)
            name = _unquote(m.group(1)) if m else None
            if after_arrow and tgt is None:
                tgt = name
            elif not after_arrow and src is None:
                src = name
        elif ln.startswith("Transformation seems to be correct!"):
            return AlivePair(src, tgt, "correct", ln[len("Transformation seems to be correct!"):].strip())
        elif ln.startswith("Transformation doesn't verify!"):
            verdict_at = i
            break
        elif ln.startswith("ERROR: ") and after_arrow:
            reason = ln[len("ERROR: "):].strip()
            return AlivePair(src, tgt, "failed", reason)
    if verdict_at is None:
        return AlivePair(src, tgt, "error", "no verdict in alive-tv's output")
    rest = own[verdict_at + 1:]
    errs = [ln[len("ERROR: "):].strip() for ln in rest if ln.startswith("ERROR: ")]
    reason = errs[0] if errs else ""
    if reason.startswith("program doesn't type check"):
        return AlivePair(src, tgt, "error", reason)
    example = []
    if "Example:" in rest:
        for ln in rest[rest.index("Example:") + 1:]:
            if not ln.strip() or ln.startswith(("Source:", "Target:", "Source value:")):
                break
            example.append(ln)
    undef = any(re.search(r"\bundef\b", ln) for ln in example)
    return AlivePair(src, tgt, "incorrect", reason, undef_in_example=undef)


# ---------------------------------------------------------------------------------------------
# one test

TRACEBACK = "Traceback (most recent call last)"


def lazycc_results(t: Test, p: Proc) -> tuple[dict[str, tuple[str, str, float | None, str | None]], str | None,
                                               str | None, str | None]:
    """-> per src name (verdict, reason, time_s, tgt), file-level verdict for unlisted pairs, its reason,
    traceback text (or None)."""
    if p.killed:
        return {}, "timeout", "lazycc-tv process killed at the wall-time limit", None
    if TRACEBACK in p.stderr or p.rc not in (0, 1):
        tb = p.stderr[p.stderr.find(TRACEBACK):] if TRACEBACK in p.stderr else p.stderr
        last = [ln for ln in tb.strip().splitlines() if ln.strip()][-1:] or [f"exit status {p.rc}"]
        return {}, "traceback", f"exit {p.rc}: {last[0].strip()}", tb.strip() or f"exit status {p.rc}"
    try:
        data = json.loads(p.stdout)
    except ValueError:
        return {}, "traceback", f"exit {p.rc}: unparsable JSON output", p.stdout[:2000] + p.stderr[:2000]
    res: dict[str, tuple[str, str, float | None, str | None]] = {}
    file_err = None
    anonymous = iter([s for s, _ in t.pairs if s.isdigit()])   # `@0` is reported as ""
    for r in data.get("results", []):
        if "error" in r and "verdict" not in r:
            file_err = "could not read: " + r["error"].splitlines()[0] if r["error"] else "could not read"
            continue
        if r.get("src") == "":
            r["src"] = r["tgt"] = next(anonymous, "")
        if t.only is not None and r["src"] not in t.only:
            continue
        res[r["src"]] = (r["verdict"], r.get("reason") or "", r.get("time_s"), r.get("tgt"))
    if file_err:
        return res, "error", file_err, None
    return res, "error", "lazycc-tv did not check this pair", None


def summary_mismatch(pairs: list[AlivePair], summary: dict[str, int] | None) -> str | None:
    """A self-check of the parser: its per-pair verdicts against alive-tv's own Summary counts."""
    if summary is None:
        return None
    got = collections.Counter(p.verdict for p in pairs)
    want = {"correct": summary.get("correct", 0), "incorrect": summary.get("incorrect", 0),
            "failed": summary.get("failed", 0), "error": summary.get("errors", 0)}
    if all(got.get(k, 0) == v for k, v in want.items()):
        return None
    return f"parsed {dict(got)} but alive-tv's Summary says {want}"


def alive_results(t: Test, p: Proc) -> tuple[dict[str, AlivePair], str, str]:
    """-> per src name, and (verdict, reason) for pairs alive-tv printed nothing about."""
    pairs, summary = parse_alive_output(p.stdout)
    mismatch = summary_mismatch(pairs, summary)
    if mismatch:
        print(f"tv_differential: {t.name}: {mismatch}", file=sys.stderr)
    tgt_to_src = {tg: s for s, tg in t.pairs}
    anonymous = iter([s for s, _ in t.pairs if s.isdigit()])   # alive-tv prints `@0` as `@`
    res: dict[str, AlivePair] = {}
    for ap in pairs:
        if ap.src == "":
            ap.src = ap.tgt = next(anonymous, None)
        name = ap.src
        if name is None:
            continue
        if ap.verdict == "error" and ap.tgt is None and name in tgt_to_src and name not in res:
            name = tgt_to_src[name]   # tgt could not be translated
        res.setdefault(name, ap)
    if p.killed:
        return res, "failed", "Timeout (alive-tv killed at the wall-time limit)"
    if p.rc not in (0, 1):
        out = (p.stdout.strip().splitlines() or p.stderr.strip().splitlines() or [""])[-1]
        return res, "error", f"alive-tv exit {p.rc}: {out.strip()}"[:200]
    return res, "error", "alive-tv printed no verdict for this pair"


def run_test(t: Test, alive: str | None, timeout_ms: int, limit_s: float,
             pkg_root: Path = ROOT) -> tuple[TestRow, list[PairRow]]:
    row = TestRow(test=t.name, kind=t.kind, files=t.files, args=t.args, unroll=t.unroll, skipped=t.skip)
    if t.skip:
        return row, []
    lp = run_proc(lazycc_argv(t, timeout_ms), limit_s, env=lazycc_env(pkg_root))
    row.lazycc_rc, row.lazycc_wall_s, row.lazycc_cpu_s = lp.rc, lp.wall_s, lp.cpu_s
    lres, l_default, l_default_reason, tb = lazycc_results(t, lp)
    row.lazycc_traceback = tb
    row.lazycc_solve_s = sum(v[2] or 0.0 for v in lres.values())
    ares: dict[str, AlivePair] = {}
    a_default = a_default_reason = ""
    if alive:
        ap = ALIVE_CACHE.run(alive_argv(alive, t, timeout_ms), t.files, limit_s)
        row.alive_rc, row.alive_wall_s, row.alive_cpu_s = ap.rc, ap.wall_s, ap.cpu_s
        ares, a_default, a_default_reason = alive_results(t, ap)
        if ap.rc not in (0, 1):
            row.alive_note = a_default_reason
    names = [s for s, _ in t.pairs]
    names += [n for n in lres if n not in names]
    names += [n for n in ares if n not in names and (t.only is None or n in t.only)]
    tgt_of = dict(t.pairs)
    rows = []
    for n in names:
        exp = t.expected.get(n, Expectation("unknown", "not a pair alive-tv would check"))
        if alive:
            a = ares.get(n)
            ref, ref_reason = (a.verdict, a.reason) if a else (a_default, a_default_reason)
            undef = bool(a and a.undef_in_example)
        else:
            ref, ref_reason, undef = exp.verdict, exp.reason, False
        if n in lres:
            lv, lr, lt, ltgt = lres[n]
        else:
            lv, lr, lt, ltgt = l_default, l_default_reason, None, None
        rows.append(PairRow(test=t.name, src=n, tgt=tgt_of.get(n) or ltgt or (ares[n].tgt if n in ares else None),
                            reference=ref, reference_reason=ref_reason, lazycc=lv, lazycc_reason=lr,
                            lazycc_time_s=lt, expected=exp.verdict, expected_reason=exp.reason,
                            unroll=t.unroll, undef_in_example=undef))
    row.pairs = len(rows)
    return row, rows


def recheck_without_undef(t: Test, rows: list[PairRow], alive: str, timeout_ms: int, limit_s: float) -> None:
    """Unsound rows: what alive-tv says with -disable-undef-input (lazycc-tv's assumption)."""
    p = ALIVE_CACHE.run(alive_argv(alive, t, timeout_ms, ("-disable-undef-input",)), t.files, limit_s)
    res, dflt, _ = alive_results(t, p)
    for r in rows:
        if is_unsound(r):
            r.reference_no_undef = res[r.src].verdict if r.src in res else dflt


# ---------------------------------------------------------------------------------------------
# report

def is_unsound(r: PairRow) -> bool:
    return r.lazycc == "correct" and r.reference == "incorrect"


def undef_only(r: PairRow) -> bool:
    """Unsound only if inputs may be undef, which lazycc-tv assumes they are not."""
    return is_unsound(r) and r.reference_no_undef == "correct"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


OPCODES = {
    "ret", "br", "switch", "indirectbr", "invoke", "resume", "unreachable", "callbr", "fneg", "add", "fadd",
    "sub", "fsub", "mul", "fmul", "udiv", "sdiv", "fdiv", "urem", "srem", "frem", "shl", "lshr", "ashr", "and",
    "or", "xor", "extractelement", "insertelement", "shufflevector", "extractvalue", "insertvalue", "alloca",
    "load", "store", "fence", "cmpxchg", "atomicrmw", "getelementptr", "trunc", "zext", "sext", "fptrunc",
    "fpext", "fptoui", "fptosi", "uitofp", "sitofp", "ptrtoint", "ptrtoaddr", "inttoptr", "bitcast",
    "addrspacecast", "icmp", "fcmp", "phi", "select", "freeze", "call", "va_arg", "landingpad",
    "catchpad", "cleanuppad", "catchswitch", "catchret", "cleanupret",
}
TYPE_SUFFIX = re.compile(r"(p\d+|[ifv]\d+|v\d+[if]\d+|nxv\d+\w+|bf16|f16|f128|x86_fp80|ppcf128|f\d+|i\d+)")


def _callee_group(callee: str) -> str:
    parts = callee.split(".")
    if parts[0] == "llvm":
        while len(parts) > 2 and TYPE_SUFFIX.fullmatch(parts[-1]):
            parts.pop()
        if parts[1] in ("x86", "aarch64", "arm", "experimental", "vector"):
            parts = parts[:3]
    return ".".join(parts)


def reason_group(reason: str) -> str:
    """A short group key for a reason: `Unsupported instruction: %r = call i32 @llvm.ctpop.i32(i32 %x)`
    -> `Unsupported instruction: call @llvm.ctpop`; types by kind (vector, struct), the opcode otherwise,
    with the validator's parenthesised explanation kept (`ptrtoint (address of a local block)`)."""
    r = reason.strip().splitlines()[0].strip() if reason and reason.strip() else "(no reason)"
    m = re.match(r"^(Unsupported [\w ]+?):\s*(.*)$", r)
    if not m:
        head = r.split(":", 1)[0] if ":" in r[:80] else r[:80]
        return re.sub(r"\d+", "N", head)
    head, rest = m.group(1), m.group(2)
    why = re.search(r"\(([a-z][a-z ,/'-]+)\)\s*$", rest)
    why_s = f" ({why.group(1)})" if why else ""
    if rest.startswith("internal"):
        im = re.match(r"internal:\s*(\w+)", rest)
        return f"{head}: internal {im.group(1) if im else ''}".rstrip()
    if rest.startswith("type "):
        ty = rest[len("type "):].strip()
        kind = ("<vector>" if ty.startswith("<") else "{struct}" if ty.startswith(("{", "%")) else
                "[array]" if ty.startswith("[") else ty.split()[0] if ty else "?")
        return f"{head}: type {kind}"
    body = re.sub(r"^%[-\w.$\"]+ = ", "", rest)
    words = body.split()
    while words and words[0] in ("tail", "musttail", "notail"):
        words = words[1:]
    if words and words[0] in OPCODES:
        word = words[0]
        if word in ("call", "invoke", "callbr"):
            cm = re.search(r"@([-\w.$]+)\(", body)
            callee = cm and _callee_group(cm.group(1))
            # an ordinary callee with the validator's explanation: the explanation is the group
            word += " (indirect)" if not cm else "" if why and not callee.startswith("llvm.") else f" @{callee}"
        return f"{head}: {word}{why_s}"
    if ":" in rest:
        what = re.sub(r"@[-\w.$]+", "@F", rest.split(":", 1)[0])
        return re.sub(r"\d+", "N", f"{head}: {what}")
    kept = []
    for w in re.sub(r"\d+", "N", body[: why.start()] if why else body).split():
        if w.startswith(("%", "@")):
            continue
        if not re.fullmatch(r"[A-Za-z_\"][-\w/\"]*", w) or len(kept) == 4:
            break
        kept.append(w)
    return f"{head}: {' '.join(kept)}{why_s}".rstrip(": ")


def build_summary(tests: list[TestRow], rows: list[PairRow], reference: str) -> dict:
    matrix_rows = list(REF_ROWS) + (["unknown"] if any(r.reference == "unknown" for r in rows) else [])
    matrix = {rr: {c: 0 for c in LAZY_COLS} for rr in matrix_rows}
    for r in rows:
        matrix.setdefault(r.reference, {c: 0 for c in LAZY_COLS})
        matrix[r.reference][r.lazycc if r.lazycc in LAZY_COLS else "error"] += 1
    unsound = [r for r in rows if is_unsound(r) and not undef_only(r)]
    unsound_undef = [r for r in rows if undef_only(r)]
    false_alarms = collections.Counter(reason_group(r.lazycc_reason) for r in rows
                                       if r.lazycc == "incorrect" and r.reference == "correct")
    gaps = collections.Counter(f"{r.lazycc}: {reason_group(r.lazycc_reason)}" for r in rows
                               if r.reference in DECIDED and r.lazycc not in DECIDED)
    ref_decided = [r for r in rows if r.reference in DECIDED]
    both = [r for r in ref_decided if r.lazycc in DECIDED]
    agree = [r for r in both if r.lazycc == r.reference]
    ran = [t for t in tests if not t.skipped]
    skipped = collections.Counter(("args" if t.skipped.startswith("args") else t.skipped) for t in tests
                                  if t.skipped)
    skipped_args = collections.Counter(a for t in tests if t.skipped and t.skipped.startswith("args")
                                       for a in t.skipped[len("args: "):].split())
    tracebacks = [t for t in ran if t.lazycc_traceback]
    internal = [r for r in rows if "internal:" in (r.lazycc_reason or "")]

    def lat(xs: list[float | None]) -> dict:
        xs = [x for x in xs if x is not None]
        return {"n": len(xs), "median_s": round(statistics.median(xs), 4) if xs else None,
                "p95_s": round(pct(xs, 95), 4) if xs else None, "total_s": round(sum(xs), 2)}

    solve = [r.lazycc_time_s for r in rows if r.lazycc_time_s is not None]
    return {
        "reference": reference,
        "tests": len(tests), "tests_run": len(ran), "skipped": dict(skipped),
        "skipped_args": dict(skipped_args.most_common()),
        "pairs": len(rows),
        "matrix": matrix,
        "unsound": len(unsound),
        "unsound_pairs": [{"test": r.test, "src": r.src, "reference_reason": r.reference_reason,
                           "undef_in_example": r.undef_in_example,
                           "reference_no_undef": r.reference_no_undef} for r in unsound],
        "unsound_undef_only": len(unsound_undef),
        "unsound_undef_only_pairs": [{"test": r.test, "src": r.src, "reference_reason": r.reference_reason}
                                     for r in unsound_undef],
        "false_alarms": sum(false_alarms.values()),
        "false_alarms_by_reason": dict(false_alarms.most_common()),
        "coverage_gaps": sum(gaps.values()),
        "coverage_gaps_by_reason": dict(gaps.most_common()),
        "reference_decided": len(ref_decided), "lazycc_decided_of_those": len(both),
        "decided_pct": round(100 * len(both) / len(ref_decided), 1) if ref_decided else None,
        "agree_of_both_decided": len(agree),
        "tracebacks": len(tracebacks), "traceback_tests": [t.test for t in tracebacks],
        "lazycc_internal_errors": len(internal),
        "latency": {
            "lazycc_wall_per_test": lat([t.lazycc_wall_s for t in ran]),
            "lazycc_cpu_per_test": lat([t.lazycc_cpu_s for t in ran]),
            "lazycc_solve_per_test": lat([t.lazycc_solve_s for t in ran]),
            "lazycc_solve_per_pair": lat(solve),
            "alive_wall_per_test": lat([t.alive_wall_s for t in ran]),
            "alive_cpu_per_test": lat([t.alive_cpu_s for t in ran]),
        },
    }


def render_report(s: dict, tests: list[TestRow], top: int = 15) -> str:
    out = []
    w = out.append
    w(f"Checked: {s.get('lazycc', 'lazycc')}")
    w(f"Reference: {s['reference']}")
    w("Note: lazycc-tv assumes inputs are not undef (like alive-tv -disable-undef-input); "
      "alive-tv runs as each test says (undef inputs allowed unless the test disables them).")
    sk = ", ".join(f"{v} skipped ({k})" for k, v in sorted(s["skipped"].items()))
    w(f"Tests: {s['tests']} collected, {s['tests_run']} run" + (f", {sk}" if sk else "") + f"; pairs: {s['pairs']}")
    if s["skipped_args"]:
        w("  skipped for: " + ", ".join(f"{a} x{n}" for a, n in s["skipped_args"].items()))
    w("")
    w("Confusion matrix (rows: reference; columns: lazycc-tv)")
    cols = LAZY_COLS
    width = max(len(c) for c in cols) + 1
    w(f"{'':>12}" + "".join(f"{c:>{width}}" for c in cols) + f"{'total':>{width}}")
    for rr, counts in s["matrix"].items():
        w(f"{rr:>12}" + "".join(f"{counts[c]:>{width}}" for c in cols) + f"{sum(counts.values()):>{width}}")
    w("")
    w(f"UNSOUND (lazycc-tv correct, reference incorrect): {s['unsound']}")
    for u in s["unsound_pairs"]:
        extra = ""
        if u["reference_no_undef"]:
            extra = f"  [alive-tv -disable-undef-input: {u['reference_no_undef']}]"
        if u["undef_in_example"]:
            extra += "  [counterexample uses undef]"
        w(f"  {u['test']}  @{u['src']}: {u['reference_reason']}{extra}")
    if s["unsound_undef_only"]:
        w(f"Unsound only with undef inputs (alive-tv -disable-undef-input proves them; lazycc-tv assumes "
          f"inputs are not undef; not counted above): {s['unsound_undef_only']}")
        for u in s["unsound_undef_only_pairs"]:
            w(f"  {u['test']}  @{u['src']}: {u['reference_reason']}")
    w("")
    w(f"False alarms (lazycc-tv incorrect, reference correct): {s['false_alarms']}")
    for k, v in list(s["false_alarms_by_reason"].items())[:top]:
        w(f"  {v:5}  {k}")
    w("")
    w(f"Coverage gaps (reference decides, lazycc-tv does not): {s['coverage_gaps']}")
    for k, v in list(s["coverage_gaps_by_reason"].items())[:top]:
        w(f"  {v:5}  {k}")
    if len(s["coverage_gaps_by_reason"]) > top:
        w(f"  ... {len(s['coverage_gaps_by_reason']) - top} more groups (--json for all)")
    w("")
    if s["decided_pct"] is not None:
        w(f"Of the {s['reference_decided']} pairs the reference decides, lazycc-tv decides "
          f"{s['lazycc_decided_of_those']} ({s['decided_pct']}%); it agrees on {s['agree_of_both_decided']} of those.")
    w(f"lazycc-tv internal errors reported as unsupported ('internal: ...'): {s['lazycc_internal_errors']}")
    w(f"Tracebacks (lazycc-tv stderr traceback or exit status not 0/1): {s['tracebacks']}")
    for t in tests:
        if t.lazycc_traceback:
            last = t.lazycc_traceback.strip().splitlines()[-1]
            w(f"  {t.test}: {last[:160]}")
    w("")
    lat = s["latency"]

    def fmt(k: str) -> str:
        d = lat[k]
        if not d["n"]:
            return "n/a"
        return f"median {d['median_s'] * 1000:.1f} ms, p95 {d['p95_s'] * 1000:.1f} ms (n={d['n']}, total {d['total_s']} s)"

    w("Latency")
    w(f"  lazycc-tv wall per test:  {fmt('lazycc_wall_per_test')}")
    w(f"  lazycc-tv CPU per test:   {fmt('lazycc_cpu_per_test')}")
    w(f"  lazycc-tv solve per pair: {fmt('lazycc_solve_per_pair')}  (in-process, no start-up)")
    w(f"  lazycc-tv solve per test: {fmt('lazycc_solve_per_test')}")
    w(f"  alive-tv wall per test:   {fmt('alive_wall_per_test')}")
    w(f"  alive-tv CPU per test:    {fmt('alive_cpu_per_test')}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", metavar="DIR_OR_FILE")
    ap.add_argument("--alive-tv", metavar="PATH", default=os.environ.get("LAZYCC_ALIVE_TV") or None,
                    help="alive-tv binary (default: $LAZYCC_ALIVE_TV); without it the tests' expectations "
                         "are the reference")
    ap.add_argument("--timeout-ms", type=int, default=10_000,
                    help="per SMT query, both tools (lazycc-tv --timeout-ms, alive-tv -smt-to); default 10000")
    ap.add_argument("--default-unroll", type=int, default=0,
                    help="unroll bound for tests without -src-unroll/-tgt-unroll (default 0, as alive-tv)")
    ap.add_argument("--proc-limit-s", type=float, default=600.0,
                    help="wall-time limit per process before it is killed (default 600)")
    ap.add_argument("--jobs", type=int, default=2, help="tests run in parallel (default 2)")
    ap.add_argument("--json", metavar="OUT", help="write the summary, every test and every pair row here")
    ap.add_argument("--limit", type=int, help="only the first N tests (sorted by path)")
    ap.add_argument("--no-undef-recheck", action="store_true",
                    help="do not re-run alive-tv with -disable-undef-input on tests with an unsound pair")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="run the live lazycc package instead of a copy taken at start")
    ap.add_argument("--no-fail", action="store_true", help="exit 0 even with unsound pairs or tracebacks")
    ap.add_argument("--alive-cache", metavar="DIR",
                    default=os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                                         "lazycc", "alive-tv"),
                    help="keep alive-tv's answers here, keyed by binary, flags and file contents "
                         "(default: %(default)s)")
    ap.add_argument("--no-alive-cache", action="store_true", help="always run alive-tv")
    args = ap.parse_args(argv)
    global ALIVE_CACHE
    ALIVE_CACHE = AliveCache(None if args.no_alive_cache else Path(args.alive_cache))
    alive = args.alive_tv
    if alive and not (os.path.isfile(alive) and os.access(alive, os.X_OK)):
        ap.error(f"alive-tv is not an executable file: {alive}")

    tests = collect(args.paths, args.default_unroll)
    if args.limit is not None:
        tests = tests[: args.limit]
    reference = (f"alive-tv ({alive}; -always-verify -smt-to={args.timeout_ms} + each test's TEST-ARGS)"
                 if alive else "the test files' expectations (; ERROR: / ; CHECK: / ; EXPECT:, "
                               "no marker in an Alive2 test = correct)")
    tmp = Path(tempfile.mkdtemp(prefix="tv-differential-"))
    pkg_root, version = ROOT, "live tree"
    if not args.no_snapshot:
        pkg_root, version = tmp, snapshot_lazycc(tmp)
    version = f"lazycc {version} ({ROOT})"
    print(f"tv_differential: {len(tests)} tests; {version}", file=sys.stderr)
    results: dict[int, tuple[TestRow, list[PairRow]]] = {}
    tty = sys.stderr.isatty()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(run_test, t, alive, args.timeout_ms, args.proc_limit_s, pkg_root): i
                for i, t in enumerate(tests)}
        for done, f in enumerate(as_completed(futs), 1):
            i = futs[f]
            results[i] = f.result()
            row, prs = results[i]
            what = row.skipped and f"skipped ({row.skipped})" or ", ".join(
                f"{p.src}: {p.lazycc}/{p.reference}" for p in prs)[:100]
            msg = f"[{done}/{len(tests)}] {tests[i].name}  {what}"
            print(("\r" + msg[:150].ljust(150)) if tty else msg, end="" if tty else "\n", file=sys.stderr,
                  flush=True)
    if tty:
        print(file=sys.stderr)
    test_rows = [results[i][0] for i in range(len(tests))]
    pair_rows = [r for i in range(len(tests)) for r in results[i][1]]
    if alive and not args.no_undef_recheck:
        for i, t in enumerate(tests):
            rows = results[i][1]
            if any(is_unsound(r) for r in rows):
                recheck_without_undef(t, rows, alive, args.timeout_ms, args.proc_limit_s)
    shutil.rmtree(tmp, ignore_errors=True)
    summary = build_summary(test_rows, pair_rows, reference)
    summary["lazycc"] = version
    sys.stdout.write(render_report(summary, test_rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary,
                       "options": {"timeout_ms": args.timeout_ms, "default_unroll": args.default_unroll,
                                   "alive_tv": alive, "paths": args.paths, "lazycc_undef_inputs": False},
                       "tests": [dataclasses.asdict(t) for t in test_rows],
                       "pairs": [dataclasses.asdict(r) for r in pair_rows]}, f, indent=1)
            f.write("\n")
    bad = summary["unsound"] or summary["tracebacks"]
    return 1 if bad and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
