"""Building a library for the dataset: real compile commands and a measured workload.

One build per library does both jobs: `CC` is a capture shim that appends each invocation
(cwd, argv) to `capture.jsonl` and execs `lazycc` with `LAZYCC_PROFILE_GENERATE`, so every C file
the library's own build compiles is recorded with its real flags *and* instrumented (every safe
site counts calls and first forces). The recipe's workload (the library's tests or benchmark) then
runs with `LAZYCC_PROFILE_FILE` and leaves the per-site counts the `profile` policy reads.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

JOBS = str(os.cpu_count() or 2)


@dataclass(frozen=True)
class Recipe:
    """How a library builds and what its workload is. Commands are shell strings run in the copied
    tree with `{cc}` and `{jobs}` substituted; `workload` empty means none runs here (`why_not`)."""

    name: str
    package: str                    # Debian source package (integration/fetch_corpus.sh)
    build: tuple[str, ...]
    workload: tuple[str, ...] = ()
    why_not: str = ""
    workload_timeout: float = 900.0
    exclude_dirs: tuple[str, ...] = ()   # captured sources under these tree dirs are not records


# The paper's eight libraries (Table 1). Configurations are each project's defaults, with tests on;
# options only where a dependency is missing here (TLS, Tcl) or the default build compiles several
# sources in one command, which lazycc passes through uninstrumented (lz4's lib/Makefile).
LIBRARIES: dict[str, Recipe] = {r.name: r for r in (
    Recipe("cjson", "cjson",
           ("cmake -S . -B build -DCMAKE_C_COMPILER={cc} -DENABLE_CJSON_TEST=On -DENABLE_CJSON_UTILS=On",
            "cmake --build build -j{jobs}"),
           ("cd build && ctest --output-on-failure",)),
    Recipe("libevent", "libevent",
           # Debian's patches touch Makefile.am: regenerate with the installed autotools first
           # (make would otherwise call the automake version the tarball was made with)
           ("autoreconf -fi",
            "./configure --disable-openssl --disable-samples --disable-dependency-tracking",
            "make -j{jobs}",
            "make -j{jobs} test/regress test/test-eof test/test-weof test/test-time test/test-changelist"),
           ("test/test-eof", "test/test-weof", "test/test-time", "test/test-changelist",
            "test/regress --quiet util/.. evbuffer/.. evtag/.. bufferevent/.."),
           exclude_dirs=("sample",)),
    Recipe("libtommath", "libtommath",
           ("make -j{jobs} CC={cc}", "make -j{jobs} CC={cc} test"),
           ("./test",), workload_timeout=1200.0),
    Recipe("sqlite3", "sqlite3",
           ("./configure --disable-tcl --disable-readline --disable-dependency-tracking",
            "make -j{jobs} sqlite3.c", "make -j{jobs} sqlite3 speedtest1"),
           ("./speedtest1 --size 5",),
           why_not="its test suite (testfixture) needs Tcl development files: speedtest1 is the workload"),
    Recipe("zlib", "zlib",
           ("./configure", "make -j{jobs}"),
           ("make check",)),
    Recipe("libconfuse", "libconfuse",
           ("./configure --disable-nls --disable-examples --disable-dependency-tracking",
            "make -j{jobs}", "make -j{jobs} -C tests check TESTS="),
           ("make -C tests check",)),
    # Debian's +ds tarball drops the bundled http-parser and regex: the system ones (libhttp-parser-dev,
    # libpcre2-dev) are needed
    Recipe("libgit2", "libgit2",
           ("cmake -S . -B build -DCMAKE_C_COMPILER={cc} -DUSE_HTTPS=OFF -DUSE_SSH=OFF -DBUILD_CLI=OFF "
            "-DREGEX_BACKEND=pcre2 -DUSE_HTTP_PARSER=system",
            "cmake --build build -j{jobs}"),
           ("cd build && ./libgit2_tests -score::buf -score::string -score::vector -score::utf8 -score::path "
            "-sobject::raw -sdiff::blob -sconfig::read",)),
    Recipe("lz4", "lz4",
           ("make -j{jobs} -C lib CC={cc} lz4.o lz4hc.o lz4frame.o lz4file.o xxhash.o",
            "cd lib && ar rcs liblz4.a lz4.o lz4hc.o lz4frame.o lz4file.o xxhash.o",
            "make -j{jobs} -C programs CC={cc} lz4",
            "make -j{jobs} -C tests CC={cc} datagen fuzzer frametest"),
           ("make -C tests CC={cc} test-lz4-basic", "cd tests && ./fuzzer -s1 -i200",
            "cd tests && ./frametest -s1 -i200")),
)}

SHIM = '''#!{python} -S
import json, os, sys
line = json.dumps({{"cwd": os.getcwd(), "argv": sys.argv[1:]}}) + "\\n"
fd = os.open({capture!r}, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
os.write(fd, line.encode())
os.close(fd)
os.execv({cc!r}, [{cc!r}] + sys.argv[1:])
'''


def lazycc_exe() -> str:
    here = os.path.join(os.path.dirname(sys.executable), "lazycc")
    return here if os.path.exists(here) else (shutil.which("lazycc") or "lazycc")


@dataclass
class BuildResult:
    tree: str
    captures: list[dict] = field(default_factory=list)
    profile: str = ""               # the profile file, "" when none was written
    workload_ran: bool = False
    workload_note: str = ""
    build_s: float = 0.0
    workload_s: float = 0.0


def run_step(cmd: str, cwd: Path, env: dict, log: Path, timeout: float) -> tuple[bool, str]:
    with open(log, "a") as fh:
        fh.write(f"$ {cmd}\n")
        fh.flush()
        try:
            proc = subprocess.run(cmd, shell=True, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, f"`{cmd}` timed out after {timeout:.0f} s"
    return proc.returncode == 0, "" if proc.returncode == 0 else f"`{cmd}` exited {proc.returncode}"


def build_library(recipe: Recipe, source: Path, work: Path, run_workload: bool = True,
                  build_timeout: float = 3600.0) -> BuildResult:
    """Copy `source` to `work/tree`, build it through the capture shim with lazycc instrumenting,
    run the workload. Raises RuntimeError when the build itself fails."""
    work.mkdir(parents=True, exist_ok=True)
    tree = work / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(source, tree, symlinks=True)
    capture, log = work / "capture.jsonl", work / "build.log"
    for p in (capture, log, work / "profile.txt", work / "build.prof"):
        p.unlink(missing_ok=True)
    shim = work / "cc"
    shim.write_text(SHIM.format(python=sys.executable, capture=str(capture), cc=lazycc_exe()))
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAZYCC_")}
    env.update(CC=str(shim), LAZYCC_PROFILE_GENERATE=str(work / "build.prof"), LAZYCC_DIR=str(work / "lazycc"),
               LAZYCC_NOSERVER="1")
    subs = {"cc": shlex.quote(str(shim)), "jobs": JOBS}
    res = BuildResult(tree=str(tree))
    t0 = time.monotonic()
    for cmd in recipe.build:
        ok, why = run_step(cmd.format(**subs), tree, env, log, build_timeout)
        if not ok:
            raise RuntimeError(f"{recipe.name}: build failed: {why} (log: {log})")
    res.build_s = time.monotonic() - t0
    if capture.exists():
        res.captures = [json.loads(l) for l in capture.read_text().splitlines() if l.strip()]
    if not recipe.workload:
        res.workload_note = recipe.why_not or "no workload"
        return res
    if not run_workload:
        res.workload_note = "workload not run (--no-measure)"
        return res
    prof = work / "profile.txt"
    env["LAZYCC_PROFILE_FILE"] = str(prof)
    t0 = time.monotonic()
    notes = []
    for cmd in recipe.workload:
        ok, why = run_step(cmd.format(**subs), tree, env, log, recipe.workload_timeout)
        if not ok:
            notes.append(why)
    res.workload_s = time.monotonic() - t0
    # measured when the workload ran: a run that executed no instrumented site (or a library with
    # no safe site: nothing instrumented, no destructor) writes no profile, and its counts are 0
    res.workload_ran = prof.exists() or not notes
    res.profile = str(prof) if prof.exists() else ""
    res.workload_note = "; ".join(notes) or ("ran: " + " && ".join(recipe.workload))
    if recipe.why_not:
        res.workload_note += f" ({recipe.why_not})"
    return res
