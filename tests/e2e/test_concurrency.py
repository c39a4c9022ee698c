"""Concurrency and crash safety of the shared cache directory.

1. Two `make -j8` builds of the same 50 generated sources (plus a main) run at
   the same time on one LAZYCC_DIR, so writers race on the same keys, and
   readers meet entries being written. Both programs must print what the
   plain-clang build prints, every compile must be counted exactly once, and
   `lazycc --verify-cache` must find nothing corrupt.
2. Writers killed with SIGKILL in the middle of cache writes (large values,
   file-backed in diskcache, and small ones stored in SQLite) must leave a cache
   that opens, verifies with 0 corrupt entries, returns exactly what was
   stored for every readable key, and serves the next real compile.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")
N_FILES = 50


def generate_project(root: Path) -> Path:
    """50 modules, each calling into its own helpers and its predecessor; main calls all."""
    root.mkdir(parents=True)
    decls = []
    for i in range(N_FILES):
        decls.append(f"long f{i}_a(long x);\nlong f{i}(long x);")
        prev = f"f{i - 1}_a(y)" if i else "y - x"
        (root / f"f{i}.c").write_text(textwrap.dedent(f"""\
            #include "gen.h"
            static long helper{i}(long x) {{ return x * {i + 3} + {i}; }}
            static long choose{i}(int c, long a, long b) {{ return c ? a : b; }}
            long f{i}_a(long x) {{ return helper{i}(x) ^ (x >> 1); }}
            long f{i}_b(long x, long y) {{ return choose{i}(y > 0, f{i}_a(x), {prev}); }}
            long f{i}(long x) {{
                long s = 0;
                for (int k = 0; k < 5; k++) s += f{i}_b(x + k, k - 2);
                return s % 1000003;
            }}
            """))
    (root / "gen.h").write_text("\n".join(decls) + "\n")
    calls = "\n".join(f"    r = f{i}(r + {i}); total += r; printf(\"f{i} %ld\\n\", r);"
                      for i in range(N_FILES))
    (root / "main.c").write_text(
        f'#include <stdio.h>\n#include "gen.h"\nint main(void) {{\n    long r = 1, total = 0;\n'
        f'{calls}\n    printf("total %ld\\n", total);\n    return 0;\n}}\n')
    objs = " ".join(f"f{i}.o" for i in range(N_FILES)) + " main.o"
    (root / "Makefile").write_text(
        f"OBJS = {objs}\n"
        "app: $(OBJS)\n\t$(CC) $(OBJS) -o $@\n"
        "%.o: %.c gen.h\n\t$(CC) -O1 -c $< -o $@\n"
        "clean:\n\trm -f $(OBJS) app\n")
    return root


def need(*tools: str) -> None:
    for t in tools:
        if shutil.which(t) is None:
            pytest.skip(f"{t} not installed")


def lazycc_path(lz) -> str:
    return shutil.which("lazycc", path=lz.env["PATH"]) or "lazycc"


@pytest.mark.slow
def test_parallel_builds_share_one_cache(lz, tmp_path):
    need("make", CLANG)
    ref = generate_project(tmp_path / "ref")
    plain = {k: v for k, v in lz.env.items() if not k.startswith("LAZYCC_")}
    subprocess.run(["make", "-j2", f"CC={CLANG}"], cwd=ref, env=plain, check=True,
                   capture_output=True, timeout=300)
    expected = subprocess.run(["./app"], cwd=ref, capture_output=True, text=True, check=True).stdout
    assert expected.count("\n") == N_FILES + 1

    trees = [generate_project(tmp_path / name) for name in ("a", "b")]
    procs = [subprocess.Popen(["make", "-j8", f"CC={lazycc_path(lz)}"], cwd=t, env=lz.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for t in trees]
    for t, p in zip(trees, procs):
        out, _ = p.communicate(timeout=600)
        assert p.returncode == 0, f"make in {t} failed:\n{out[-6000:]}"
    for t in trees:
        got = subprocess.run(["./app"], cwd=t, capture_output=True, text=True, timeout=30)
        assert (got.returncode, got.stdout) == (0, expected)

    st = lz.stats()
    n = 2 * (N_FILES + 1)
    assert st["compilations"] == n, "a lost or doubled stats update under make -j"
    # a module the pre-filter settles (no callable defined function) looks nothing up
    skipped = st.get("skipped_no_callee", 0)
    assert skipped % 2 == 0, "the same file is pre-filtered in both trees or in neither"
    assert st["cache_hits"] + st["cache_misses"] + skipped == n
    assert st["cache_misses"] >= N_FILES + 1 - skipped // 2
    assert st["fallbacks"] == 0 and st["cache_errors"] == 0 and st["cache_corrupt"] == 0
    assert st["passthrough"] == {"link": 2}

    verify = lz.run("--verify-cache", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert " 0 corrupt" in verify.stdout, verify.stdout

    # And the cache serves a third, warm build completely.
    subprocess.run(["make", "clean"], cwd=trees[0], env=lz.env, check=True, capture_output=True)
    subprocess.run(["make", "-j2", f"CC={lazycc_path(lz)}"], cwd=trees[0], env=lz.env, check=True,
                   capture_output=True, timeout=600)
    warm = lz.stats()
    assert warm["cache_misses"] == st["cache_misses"]
    assert warm["cache_hits"] - st["cache_hits"] == N_FILES + 1


# Writer for the SIGKILL test: hammers put_bytes/put_json with self-describing
# values (key + digest inside), some large enough for diskcache to store them as
# separate files (> disk_min_file_size), some small enough to live in SQLite.
WRITER = r"""
import hashlib, json, os, random, sys
from lazycc.cache import LocalCache
directory, seed, progress = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
cache = LocalCache(directory, 2 * 10**9)
n = 0
while True:
    k = rng.randrange(24)
    key = hashlib.sha256(f"key{k}".encode()).hexdigest()
    size = rng.choice([200, 5_000, 150_000, 1_500_000, 4_000_000])
    body = rng.randbytes(size)
    if k % 2:
        data = body.hex()
        cache.put_json(key, {"key": key, "seq": n, "data": data,
                             "digest": hashlib.sha256(data.encode()).hexdigest()})
    else:
        cache.put_bytes(key, key.encode() + hashlib.sha256(body).digest() + body)
    n += 1
    with open(progress, "w") as fh:
        fh.write(str(n))
"""


def check_value(key: str, is_json: bool, cache) -> None:
    if is_json:
        v = cache.get_json(key)
        if v is not None:
            assert v["key"] == key
            assert hashlib.sha256(v["data"].encode()).hexdigest() == v["digest"]
    else:
        b = cache.get_bytes(key)
        if b is not None:
            assert b[:64] == key.encode()
            assert hashlib.sha256(b[96:]).digest() == b[64:96]


@pytest.mark.slow
def test_sigkill_during_cache_writes_leaves_readable_cache(lz, tmp_path):
    need(CLANG)
    from lazycc.cache import LocalCache

    rng = random.Random(1234)
    cache_dir = str(lz.cache_dir)
    progress_total = 0
    for round_ in range(6):
        procs = []
        for w in range(3):
            prog = tmp_path / f"progress-{round_}-{w}"
            procs.append((subprocess.Popen([sys.executable, "-c", WRITER, cache_dir, str(round_ * 10 + w),
                                            str(prog)], env=lz.env, stderr=subprocess.PIPE), prog))
        time.sleep(rng.uniform(0.8, 2.0))
        for p, _ in procs:
            assert p.poll() is None, f"writer died by itself:\n{p.stderr.read().decode()[-3000:]}"
            time.sleep(rng.uniform(0.0, 0.15))
            os.kill(p.pid, signal.SIGKILL)
        for p, prog in procs:
            p.wait(timeout=30)
            p.stderr.close()
            assert p.returncode == -signal.SIGKILL
            progress_total += int(prog.read_text() or 0) if prog.exists() else 0
    assert progress_total > 0, "the writers never completed a write: the test tested nothing"

    cache = LocalCache(cache_dir, 2 * 10**9)
    try:
        counts = cache.verify_all()
        assert counts["corrupt"] == 0, counts
        keys = cache.keys()
        assert keys, "no entry survived"
        by_key = {hashlib.sha256(f"key{k}".encode()).hexdigest(): k for k in range(24)}
        for key in keys:
            assert key in by_key, f"unexpected key {key}"
            check_value(key, by_key[key] % 2 == 1, cache)
        # diskcache's own consistency check: nothing left to fix after verify_all
        # (its fix pass removes empty leaf directories, leaving their empty parents).
        leftover = [str(w.message) for w in cache._cache.check(fix=False)
                    if not str(w.message).startswith("empty directory")]
        assert leftover == [], leftover
    finally:
        cache.close()

    lz.write("hello.c", '#include <stdio.h>\nint main(void) { puts("still compiling"); return 0; }\n')
    lz.run("-O1", "-c", "hello.c", "-o", "hello.o")
    lz.run("hello.o", "-o", "hello")
    got = subprocess.run(["./hello"], cwd=lz.workdir, capture_output=True, text=True, timeout=30)
    assert got.stdout == "still compiling\n"
    st = lz.stats()
    assert st["compilations"] == 1 and st["fallbacks"] == 0
    assert st["cache_errors"] == 0 and st["cache_corrupt"] == 0
