"""Direct mode's race guard: a file written shortly *before* a compile is stored (sqlite3's
generated amalgamation, compiled right after `make` writes it); one written *during* the
compile never is, whatever its timestamps say; and a fallback is never replayed."""
from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from lazycc.cache import direct

OLD = 1_600_000_000


def _age(*paths: Path) -> None:
    for p in paths:
        os.utime(p, (OLD, OLD))


def _stamps(mtime_ns: int, ctime_ns: int) -> SimpleNamespace:
    return SimpleNamespace(st_mtime_ns=mtime_ns, st_ctime_ns=ctime_ns)


def test_written_since_margins():
    start = 1_700_000_000_123_456_789
    old = start - 10 * 1_000_000_000 + 17
    assert not direct.written_since(_stamps(old, old), start)
    # ns timestamps: only the coarse clock's lag is doubted
    assert not direct.written_since(_stamps(start - 30_000_000, start - 30_000_000), start)
    assert direct.written_since(_stamps(start - 5_000_000, old), start)       # mtime within a tick
    assert direct.written_since(_stamps(old, start - 5_000_000), start)       # ctime within a tick
    assert direct.written_since(_stamps(start + 1, old), start)
    # whole-second timestamps (a file system that truncates): 2 s of doubt
    whole = (start // 1_000_000_000) * 1_000_000_000
    assert direct.written_since(_stamps(whole, old), start)
    assert direct.written_since(_stamps(whole - 1_000_000_000, old), start)
    assert not direct.written_since(_stamps(whole - 3_000_000_000, old), start)


class _Mem:
    """The JsonEntries interface in memory."""

    def __init__(self):
        self.d: dict = {}

    def get_json(self, k):
        return self.d.get(("j", k))

    def put_json(self, k, v):
        self.d[("j", k)] = v

    def get_bytes(self, k):
        return self.d.get(("b", k))

    def put_bytes(self, k, v):
        self.d[("b", k)] = v


RESULT = direct.CompileResult(b"\x7fELF", None, b"")


def test_store_accepts_a_file_written_just_before_the_start(tmp_path):
    src = tmp_path / "gen.c"
    src.write_text("int g;\n")
    data, snap = direct.read_source(str(src))
    time.sleep(0.05)
    started = time.time_ns()  # 50 ms after the write: a generated source compiled at once
    cache = _Mem()
    assert direct.store(cache, "m", [str(src)], started, RESULT, snap) == ""
    assert direct.lookup(cache, "m") == RESULT
    # 5 ms is within the coarse clock's lag: refused
    cache2 = _Mem()
    st = src.stat()
    why = direct.store(cache2, "m", [str(src)], max(st.st_mtime_ns, st.st_ctime_ns) + 5_000_000, RESULT, snap)
    assert "modified during the compile" in why and direct.lookup(cache2, "m") is None


def test_store_refuses_a_main_source_that_changed_since_the_key(tmp_path):
    src = tmp_path / "s.c"
    src.write_text("int a = 1;\n")
    _, snap = direct.read_source(str(src))
    src.write_text("int a = 2;\n")   # same size, new bytes; then its times forged back
    _age(src)
    cache = _Mem()
    why = direct.store(cache, "m", [str(src)], time.time_ns() + 10**9, RESULT, snap)
    assert "main source changed" in why and cache.d == {}
    # the source under another spelling in the depfile is still checked
    why = direct.store(cache, "m", [], time.time_ns() + 10**9, RESULT, snap)
    assert "main source changed" in why and cache.d == {}


def _wrapper(tmp_path: Path, after_front_end: str) -> Path:
    """A compiler that runs `after_front_end` (shell) once clang has read the inputs."""
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    clang = tools / "clang"
    clang.write_text('#!/bin/sh\nclang-22 "$@"; rc=$?\n'
                     f'if [ -e "$LAZYCC_TEST_ARM" ]; then rm -f "$LAZYCC_TEST_ARM"; {after_front_end}; fi\n'
                     'exit $rc\n')
    clang.chmod(0o755)
    return clang


@pytest.mark.parametrize("policy", ["none", "heuristic"])
@pytest.mark.parametrize("forge_times", [False, True], ids=["fresh-times", "forged-old-mtime"])
def test_header_modified_during_the_compile_is_not_stored(lz, tmp_path, policy, forge_times):
    """The compile reads k.h = 3; the header becomes 4 before lazycc stores the result.
    Storing would tie the K=3 object to K=4's hash: the next build must compile K=4."""
    hdr = lz.write("inc/k.h", "#define K 3\n")
    src = lz.write("d.c", '#include "k.h"\nint k(int x) { return x + K; }\n')
    _age(hdr, src)
    forge = f" && touch -d @{OLD} {hdr}" if forge_times else ""
    lz.env["LAZYCC_CLANG"] = str(_wrapper(tmp_path, f"printf '#define K 4\\n' > {hdr}{forge}"))
    lz.env["LAZYCC_POLICY"] = policy
    arm = tmp_path / "arm"
    lz.env["LAZYCC_TEST_ARM"] = str(arm)
    arm.touch()
    lz.run("-Iinc", "-O2", "-c", "d.c", "-o", "d.o")
    assert not arm.exists(), "the wrapper did not run"
    assert hdr.read_text() == "#define K 4\n"
    assert "modified during the compile" in lz.log.read_text()
    lz.run("-Iinc", "-O2", "-c", "d.c", "-o", "d.o")
    assert lz.stats()["direct_hits"] == 0
    lz.clang("-Iinc", "-O2", "-c", "d.c", "-o", "ref.o")  # K=4
    assert (lz.workdir / "d.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()


def test_main_source_modified_during_the_compile_is_not_stored(lz, tmp_path):
    """Same size, new bytes, mtime forged back: ctime and the key's snapshot both see it."""
    src = lz.write("m.c", "int m(void) { return 3; }\n")
    _age(src)
    lz.env["LAZYCC_CLANG"] = str(_wrapper(
        tmp_path, f"printf 'int m(void) {{ return 4; }}\\n' > {src} && touch -d @{OLD} {src}"))
    lz.env["LAZYCC_POLICY"] = "none"
    arm = tmp_path / "arm"
    lz.env["LAZYCC_TEST_ARM"] = str(arm)
    arm.touch()
    lz.run("-O2", "-c", "m.c", "-o", "m.o")
    assert not arm.exists()
    log = lz.log.read_text()
    assert "modified during the compile" in log or "main source changed" in log
    lz.run("-O2", "-c", "m.c", "-o", "m.o")
    assert lz.stats()["direct_hits"] == 0
    lz.clang("-O2", "-c", "m.c", "-o", "ref.o")
    assert (lz.workdir / "m.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()


def test_source_written_just_before_the_compile_is_stored(lz):
    """A generated source compiled right after it is written (sqlite3's amalgamation) hits on
    the next build: the race guard only doubts the coarse clock's tick, not a whole second."""
    gen = lz.write("gen.c", "int gen(int x) { return 2 * x + 1; }\n")
    time.sleep(0.1)
    lz.run("-O2", "-c", "gen.c", "-o", "gen.o")
    first = (lz.workdir / "gen.o").read_bytes()
    assert "not stored" not in lz.log.read_text()
    gen.write_text(gen.read_text())  # `make clean && make` writes it again, same bytes
    time.sleep(0.1)
    (lz.workdir / "gen.o").unlink()
    lz.run("-O2", "-c", "gen.c", "-o", "gen.o")
    assert lz.stats()["direct_hits"] == 1
    assert (lz.workdir / "gen.o").read_bytes() == first


def test_a_fallback_is_not_replayed_by_direct_mode(lz):
    """A deadline fallback may rewrite on an idle machine: the next compile runs the
    pipeline again instead of replaying clang's object."""
    # a called defined function: the pre-filter must not settle it without the pipeline
    src = lz.write("f.c", "int g(int y) { return y + 1; }\nint f(int x) { return g(x * 7); }\n")
    _age(src)
    lz.env["LAZYCC_TEST_STALL"] = "spin"
    lz.env["LAZYCC_TIMEOUT"] = "1"
    lz.run("-O2", "-c", "f.c", "-o", "f.o")
    assert "not stored for direct mode: a fallback" in lz.log.read_text()
    del lz.env["LAZYCC_TEST_STALL"]
    del lz.env["LAZYCC_TIMEOUT"]
    lz.run("-O2", "-c", "f.c", "-o", "f.o")
    st = lz.stats()
    assert st["direct_hits"] == 0 and st["deadline_fallbacks"] == 1 and st["cache_misses"] == 2, st
    lz.run("-O2", "-c", "f.c", "-o", "f.o")  # the second, reproducible outcome is stored
    assert lz.stats()["direct_hits"] == 1
