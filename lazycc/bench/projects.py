"""`lazycc-bench projects`: real projects (Debian source packages) built with their own build
systems under each configuration, their own tests run, their benchmark programs timed.

Sources come from the corpus made by integration/fetch_corpus.sh (DIR/<pkg> links to unpacked
trees; `--corpus DIR`).  A project whose tree is absent is skipped with a message.

Per configuration and project, the tree is copied to OUT/projects/<cfg>/<project> and built with
CC = OUT/bin/<cfg>/cc (the same wrapper as `test-suite`).  Results are written in lit's
results.json shape to OUT/results/<cfg>/projects-run<i>.json, so `lazycc-bench report` covers
them with the suite's tests:

    projects :: <project>/test/<name>   one per project test: PASS / FAIL (named correctness
                                        failures); NOEXE for every entry when the build failed
    projects :: <project>/<bench>       a timed benchmark: exec_time (user CPU s of the process,
                                        or derived from the program's own throughput report),
                                        size and hash of the benchmarked binary; FAIL if its
                                        output check fails (e.g. a compression round trip)

Tests run once per configuration (after the build); benchmarks run --runs times, interleaved
across configurations like the suite's lit runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable

from lazycc.bench import configs as cfgs
from lazycc.bench.suite import BenchError, State, say

PREFIX = "projects :: "


@dataclass
class Ctx:
    """What a project's steps see."""
    tree: str           # the configuration's copy of the source tree
    cc: str             # compiler wrapper
    jobs: int
    inputs: str         # OUT/inputs: generated, shared benchmark inputs
    env: dict


@dataclass
class Bench:
    name: str
    binary: str                                  # relative to the tree: size and hash
    run: Callable[[Ctx], tuple[float, str]]      # -> (exec_time s, "" or failure message)


@dataclass
class Project:
    name: str
    marker: str                                   # a file that proves the tree is there
    build: Callable[[Ctx], None]
    tests: Callable[[Ctx], list[tuple[str, bool, str]]]   # -> [(test name, passed, output)]
    benches: list[Bench] = field(default_factory=list)
    note: str = ""


# --- helpers ---------------------------------------------------------------------------------------

class StepFailed(Exception):
    pass


def sh(cmd, ctx: Ctx, cwd: str | None = None, check: bool = True, log: str | None = None,
       timeout: float = 3600, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, **ctx.env)
    r = subprocess.run(cmd, cwd=cwd or ctx.tree, env=env, capture_output=True, text=True,
                       errors="replace", timeout=timeout, shell=isinstance(cmd, str), **kw)
    if log:
        with open(log, "a") as f:
            f.write(f"$ {cmd if isinstance(cmd, str) else ' '.join(cmd)}\n{r.stdout}{r.stderr}"
                    f"[exit {r.returncode}]\n")
    if check and r.returncode != 0:
        raise StepFailed(f"{cmd if isinstance(cmd, str) else ' '.join(cmd)}: exit {r.returncode}\n"
                         + (r.stdout + r.stderr)[-3000:])
    return r


def timed(argv: list[str], cwd: str, stdin: str | None = None, stdout: str | None = None,
          env: dict | None = None, timeout: float = 600) -> tuple[float, int, str]:
    """Run argv; (user CPU seconds of the child, exit status, stderr text)."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fout = open(stdout, "wb") if stdout else subprocess.DEVNULL
    with tempfile.TemporaryFile() as ferr:
        try:
            p = subprocess.Popen(argv, cwd=cwd, stdin=fin, stdout=fout, stderr=ferr,
                                 env=dict(os.environ, **(env or {})))
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            if stdin:
                fin.close()
            if stdout:
                fout.close()
        ferr.seek(0)
        err = ferr.read().decode(errors="replace")
    return ru.ru_utime, os.waitstatus_to_exitcode(status), err


def gen_input(path: str, size: int = 16 << 20) -> str:
    """A fixed, compressible input: words from a seeded LCG (same bytes on every machine)."""
    if os.path.exists(path) and os.path.getsize(path) == size:
        return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    words = [b"lazy", b"eager", b"thunk", b"argument", b"callee", b"validator", b"clang",
             b"benchmark", b"0x1f", b"\n", b"the", b"of", b"proof", b"deferred", b"1234567"]
    x = 12345
    out = bytearray()
    while len(out) < size:
        x = (x * 6364136223846793005 + 1442695040888963407) & ((1 << 64) - 1)
        out += words[(x >> 33) % len(words)] + (b" " if (x >> 20) & 3 else b",")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(bytes(out[:size]))
    os.replace(tmp, path)
    return path


def same_file(a: str, b: str) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return hashlib.md5(fa.read()).digest() == hashlib.md5(fb.read()).digest()


def binary_metrics(path: str) -> dict:
    """`size` (llvm-size total) and `hash` (md5 of the binary stripped of .comment/.note*)."""
    m: dict = {}
    size_tool = shutil.which("llvm-size-22") or shutil.which("llvm-size")
    if size_tool:
        r = subprocess.run([size_tool, "-A", path], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "Total" and parts[1].isdigit():
                m["size"] = int(parts[1])
    strip = shutil.which("llvm-strip-22") or shutil.which("llvm-strip") or shutil.which("strip")
    data = None
    if strip:
        with tempfile.TemporaryDirectory() as td:
            t = os.path.join(td, "s")
            if subprocess.run([strip, "--remove-section=.comment", "--remove-section=.note*", "-o",
                               t, path], capture_output=True).returncode == 0:
                data = open(t, "rb").read()
    if data is None:
        data = open(path, "rb").read()
    m["hash"] = hashlib.md5(data).hexdigest()
    return m


# --- zlib -------------------------------------------------------------------------------------------

def _zlib_build(c: Ctx) -> None:
    sh(["./configure", "--static"], c, check=True)
    sh(["make", f"-j{c.jobs}", "libz.a", "example", "minigzip"], c)


def _zlib_tests(c: Ctx):
    r = sh(["make", "test"], c, check=False)
    return [("make-test", r.returncode == 0 and "*** zlib test OK ***" in r.stdout,
             (r.stdout + r.stderr)[-3000:])]


def _minigzip(level: str):
    def run(c: Ctx) -> tuple[float, str]:
        src = gen_input(os.path.join(c.inputs, "text-4M.txt"), 4 << 20)
        gz = os.path.join(c.tree, f"bench{level}.gz")
        back = os.path.join(c.tree, f"bench{level}.out")
        t1, rc1, e1 = timed(["./minigzip", level], c.tree, stdin=src, stdout=gz)
        t2, rc2, e2 = timed(["./minigzip", "-d"], c.tree, stdin=gz, stdout=back)
        if rc1 or rc2:
            return t1 + t2, f"minigzip failed: {e1}{e2}"
        if not same_file(src, back):
            return t1 + t2, "round trip through minigzip changed the data"
        return t1 + t2, ""
    return run


# --- lz4 --------------------------------------------------------------------------------------------

_LZ4_OBJS = ("lz4.o", "lz4hc.o", "lz4frame.o", "lz4file.o", "xxhash.o")


def _lz4_build(c: Ctx) -> None:
    # lib/Makefile compiles liblz4.a in one `cc -c a.c b.c ...`, which lazycc passes through
    # untouched (several sources); build each object with make's one-source rule and archive
    # them as the recipe does, so the CLI's library code goes through the compiler under test.
    sh(["make", f"-j{c.jobs}", "-C", "lib", f"CC={c.cc}", *_LZ4_OBJS], c)
    sh(["ar", "rcs", "liblz4.a", *_LZ4_OBJS], c, cwd=os.path.join(c.tree, "lib"))
    sh(["make", f"-j{c.jobs}", "-C", "programs", f"CC={c.cc}", "lz4"], c)
    sh(["make", f"-j{c.jobs}", "-C", "tests", f"CC={c.cc}", "datagen"], c)


def _lz4_tests(c: Ctx):
    r = sh(["make", "-C", "tests", f"CC={c.cc}", "test-lz4-basic"], c, check=False, timeout=1800)
    return [("test-lz4-basic", r.returncode == 0, (r.stdout + r.stderr)[-3000:])]


_MBS = re.compile(r"([\d.]+) MB/s")


def _lz4_b(level: str, passes: int):
    def run(c: Ctx) -> tuple[float, str]:
        """`lz4 -b<level> -i1`: lz4's own benchmark (compress + decompress in memory, checked).
        Its run time is fixed by -i, so exec_time is derived from its reported throughput: the
        time to compress and decompress the 4 MiB input `passes` times at the measured speeds
        (passes x (MB / compression speed + MB / decompression speed)): 64 passes at level 1
        (~0.5-1 s, well above the 10 ms short-run threshold), 1 pass at level 9 (~1 s)."""
        src = gen_input(os.path.join(c.inputs, "text-4M.txt"), 4 << 20)
        t, rc, err = timed(["programs/lz4", f"-b{level}", "-i1", src], c.tree)
        # progress is redrawn with \r: the last segment with two speeds is the final result
        speeds: list[float] = []
        for seg in re.split(r"[\r\n]", err):
            found = [float(x) for x in _MBS.findall(seg)]
            if len(found) >= 2:
                speeds = found
        if rc or len(speeds) < 2:
            return t, f"lz4 -b failed or printed no speeds: {err[-500:]}"
        mb = os.path.getsize(src) / 1e6
        return passes * (mb / speeds[0] + mb / speeds[1]), ""
    return run


# --- cJSON ------------------------------------------------------------------------------------------

def _cmake_build(extra: list[str]):
    def build(c: Ctx) -> None:
        b = os.path.join(c.tree, "_build")
        sh(["cmake", "-S", c.tree, "-B", b, f"-DCMAKE_C_COMPILER={c.cc}",
            f"-DCMAKE_CXX_COMPILER={shutil.which(cfgs.CLANGXX) or cfgs.CLANGXX}",
            "-DCMAKE_BUILD_TYPE=Release", *extra], c)
        sh(["cmake", "--build", b, f"-j{c.jobs}"], c, timeout=7200)
    return build


_CTEST = re.compile(r"Test\s+#\d+: (\S+) \.+\**\s*(Passed|\*?\*?\*?Failed|Not Run|Timeout|"
                    r"Exception|\S+)")


def _ctest(regex: str | None = None, timeout: int = 300):
    def tests(c: Ctx):
        cmd = ["ctest", "--output-on-failure", "--timeout", str(timeout)]
        if regex:
            cmd += ["-R", regex]
        r = sh(cmd, c, cwd=os.path.join(c.tree, "_build"), check=False, timeout=3600)
        out = []
        for m in _CTEST.finditer(r.stdout):
            out.append((m.group(1), m.group(2) == "Passed", ""))
        if not out:
            out.append(("ctest", r.returncode == 0, (r.stdout + r.stderr)[-3000:]))
        return out
    return tests


# --- sqlite3 ----------------------------------------------------------------------------------------

def _sqlite_build(c: Ctx) -> None:
    sh(["./configure", "--disable-tcl", "--disable-shared", f"CC={c.cc}", "CFLAGS=-O2"], c)
    sh(["make", f"-j{c.jobs}", "sqlite3"], c, timeout=7200)
    sh(["make", f"-j{c.jobs}", "speedtest1"], c, timeout=7200)


_SQL = ("create table t(a integer primary key, b text, c real);\n"
        "with recursive n(i) as (select 1 union all select i+1 from n where i < 2000)\n"
        "insert into t select i, hex(i*7919), i/3.0 from n;\n"
        "create index tb on t(b);\n"
        "select count(*), sum(a), printf('%.3f', sum(c)), min(b), max(b) from t;\n"
        "select a from t where b like '1F%' order by a limit 5;\n"
        "delete from t where a % 3 = 0; select count(*) from t;\n")


def _sqlite_tests(c: Ctx):
    """sqlite3's own testfixture needs a Tcl development tree; instead a SQL script through the
    shell, compared against the same script through the system's reference (the output of the
    baseline build, stored in OUT/inputs/sqlite-smoke.expected)."""
    r = subprocess.run(["./sqlite3", ":memory:"], cwd=c.tree, input=_SQL, capture_output=True,
                       text=True)
    exp_path = os.path.join(c.inputs, "sqlite-smoke.expected")
    if not os.path.exists(exp_path):
        with open(exp_path, "w") as f:
            f.write(r.stdout)
    ok = r.returncode == 0 and r.stdout == open(exp_path).read() and r.stdout.strip() != ""
    return [("smoke-sql", ok, r.stdout[-2000:] + r.stderr[-1000:])]


def _speedtest(c: Ctx) -> tuple[float, str]:
    t, rc, err = timed(["./speedtest1", "--size", "10", "--memdb"], c.tree)
    return t, ("" if rc == 0 else f"speedtest1 exit {rc}: {err[-500:]}")


# --- libevent ---------------------------------------------------------------------------------------

def _libevent_bench(c: Ctx) -> tuple[float, str]:
    """libevent's test/bench (pipes ping-ponged through an event loop) times its own loop and
    prints microseconds per iteration (25 iterations); the work is mostly system calls, so user
    CPU time would read ~0.  exec_time = the sum of its reported times."""
    b = os.path.join(c.tree, "_build", "bin", "bench")
    r = subprocess.run([b, "-n", "900", "-a", "200", "-w", "200"], cwd=c.tree, capture_output=True,
                       text=True, timeout=600)
    us = [int(x) for x in r.stdout.split() if x.isdigit()]
    if r.returncode or not us:
        return 0.0, f"bench exit {r.returncode}: {r.stderr[-500:]}"
    return sum(us) / 1e6, ""


PROJECTS: dict[str, Project] = {p.name: p for p in [
    Project("zlib", "configure", _zlib_build, _zlib_tests,
            [Bench("minigzip-1", "minigzip", _minigzip("-1")),
             Bench("minigzip-9", "minigzip", _minigzip("-9"))]),
    Project("lz4", "lib/lz4.c", _lz4_build, _lz4_tests,
            [Bench("lz4-b1", "programs/lz4", _lz4_b("1", 64)),
             Bench("lz4-b9", "programs/lz4", _lz4_b("9", 1))]),
    Project("cjson", "CMakeLists.txt",
            _cmake_build(["-DENABLE_CJSON_TEST=On", "-DENABLE_CJSON_UTILS=Off"]), _ctest(),
            [], note="cJSON ships no benchmark program: tests only"),
    Project("sqlite3", "configure", _sqlite_build, _sqlite_tests,
            [Bench("speedtest1", "speedtest1", _speedtest)]),
    Project("libevent", "CMakeLists.txt",
            _cmake_build(["-DEVENT__DISABLE_OPENSSL=ON", "-DEVENT__DISABLE_MBEDTLS=ON",
                          "-DEVENT__DISABLE_SAMPLES=ON", "-DEVENT__LIBRARY_TYPE=STATIC"]),
            _ctest(r"^test-(eof|closed|weof|time|changelist|fdleak|dumpevents)"),
            [Bench("bench", "_build/bin/bench", _libevent_bench)]),
]}


# --- the runner ---------------------------------------------------------------------------------------

def default_corpus() -> str:
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(here, "integration", "corpus")


def find_tree(corpus: str, p: Project) -> str | None:
    for cand in [os.path.join(corpus, p.name)] + sorted(
            os.path.join(corpus, "src", d) for d in (os.listdir(os.path.join(corpus, "src"))
                                                     if os.path.isdir(os.path.join(corpus, "src"))
                                                     else []) if d.startswith(p.name + "-")):
        if os.path.exists(os.path.join(cand, p.marker)):
            return os.path.realpath(cand)
    return None


def _entry(name: str, code: str, output: str = "", metrics: dict | None = None) -> dict:
    return {"name": PREFIX + name, "code": code, "elapsed": 0.0, "output": output,
            "metrics": metrics or {}}


def main(args) -> int:
    out = os.path.abspath(args.out)
    corpus = os.path.abspath(args.corpus or default_corpus())
    state = State.load(out)
    wanted = [p for p in args.projects.split(",") if p]
    projects = []
    for name in wanted:
        p = PROJECTS.get(name)
        if p is None:
            say(f"skipping project '{name}': unknown (known: {', '.join(PROJECTS)})")
            continue
        tree = find_tree(corpus, p)
        if tree is None:
            say(f"skipping project '{name}': no tree in {corpus} (bash integration/fetch_corpus.sh "
                f"{corpus} {name})")
            state.data.setdefault("skipped_projects", {})[name] = "not in the corpus"
            continue
        projects.append((p, tree))
    if not projects:
        raise BenchError("no project available")
    av = cfgs.resolve([c for c in args.configs.split(",") if c])
    for c, why in av.skipped.items():
        say(f"skipping configuration '{c}': {why}")
        state.data["skipped"][c] = why
    for c in av.available:
        if c not in state.data["configs"]:
            state.data["configs"].append(c)
    state.save()
    inputs = os.path.join(out, "inputs")
    os.makedirs(inputs, exist_ok=True)
    ctxs: dict[tuple[str, str], Ctx] = {}
    tests_out: dict[str, list[dict]] = {}
    pb = state.data.setdefault("project_builds", {})
    for c in [x for x in av.available if x != "profile"] + \
            (["profile"] if "profile" in av.available else []):
        extra = {}
        if c == "profile":
            prof = os.path.join(out, "profile-data", "lazycc.prof")
            if not os.path.exists(prof):
                say("skipping configuration 'profile' for projects: no profile "
                    f"({prof}); run `lazycc-bench test-suite` with profile first")
                continue
            extra["LAZYCC_PROFILE_USE"] = prof
        env = cfgs.config_env(c, out, extra=extra)
        cc = cfgs.write_wrapper(os.path.join(out, "bin", c, "cc"), c, env)
        tpath = os.path.join(out, "projects", c, "tests.json")
        entries = json.load(open(tpath)) if os.path.exists(tpath) else []
        for p, src in projects:
            tree = os.path.join(out, "projects", c, p.name)
            ctx = Ctx(tree=tree, cc=cc, jobs=args.jobs, inputs=inputs, env=dict(env, CC=cc))
            ctxs[(c, p.name)] = ctx
            step = f"project:{c}:{p.name}"
            if state.done(step):
                continue
            entries = [e for e in entries if not e["name"].startswith(PREFIX + p.name + "/")]
            if os.path.exists(tree):
                shutil.rmtree(tree)
            shutil.copytree(src, tree, symlinks=True)
            say(f"[{c}] building {p.name}")
            t0 = time.monotonic()
            try:
                p.build(ctx)
                ok, msg = True, ""
            except (StepFailed, subprocess.TimeoutExpired) as e:
                ok, msg = False, str(e)
            wall = time.monotonic() - t0
            pb.setdefault(c, {})[p.name] = {"wall_s": round(wall, 3), "ok": ok}
            if not ok:
                say(f"[{c}] {p.name}: build FAILED")
                entries.append(_entry(f"{p.name}/build", "NOEXE", msg[-3000:]))
            else:
                for tname, passed, output in p.tests(ctx):
                    entries.append(_entry(f"{p.name}/test/{tname}", "PASS" if passed else "FAIL",
                                          "" if passed else output))
                nfail = sum(1 for e in entries if e["name"].startswith(PREFIX + p.name + "/")
                            and e["code"] != "PASS")
                say(f"[{c}] {p.name}: built in {wall:.1f} s, tests: "
                    f"{'all passed' if not nfail else f'{nfail} FAILED'}")
            with open(tpath, "w") as f:
                json.dump(entries, f, indent=1)
            state.mark(step)
        cfgs.stop_server(env)
        tests_out[c] = entries
    for i in range(1, args.runs + 1):
        for c in tests_out:
            dest = os.path.join(out, "results", c, f"projects-run{i}.json")
            if os.path.exists(dest):
                continue
            tests = list(tests_out[c])
            built = {e["name"] for e in tests if e["code"] == "NOEXE"}
            for p, _ in projects:
                for b in p.benches:
                    name = f"{p.name}/{b.name}"
                    if PREFIX + p.name + "/build" in built:
                        tests.append(_entry(name, "NOEXE", "did not build"))
                        continue
                    ctx = ctxs[(c, p.name)]
                    t, err = b.run(ctx)
                    m = binary_metrics(os.path.join(ctx.tree, b.binary))
                    m["exec_time"] = t
                    tests.append(_entry(name, "FAIL" if err else "PASS", err, m))
                    say(f"[run {i}/{args.runs} {c}] {name}: {t:.3f} s{' FAIL' if err else ''}")
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest + ".tmp", "w") as f:
                json.dump({"__version__": [0, 0, 0], "elapsed": 0.0, "tests": tests}, f, indent=1)
            os.replace(dest + ".tmp", dest)
    state.save()
    say(f"done; report with: lazycc-bench report {args.out}")
    return 0
