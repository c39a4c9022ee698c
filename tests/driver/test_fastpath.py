"""The native client (native/lazycc-fast.c): a direct-mode hit without Python, byte for byte
what the Python driver replays (object, depfile, stderr, exit code, counters), and a hand-over
to Python whenever anything its fast entry depends on changed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CC = shutil.which("cc") or shutil.which("clang-22")


@pytest.fixture(scope="module")
def fast_exe(tmp_path_factory) -> str:
    """The client built as `make native` builds it, handing over to this interpreter."""
    if CC is None:
        pytest.skip("no C compiler")
    out = tmp_path_factory.mktemp("native") / "lazycc"
    subprocess.run([CC, "-O2", "-Wall", "-Wno-format-truncation", f'-DLAZYCC_PYTHON="{sys.executable}"',
                    "-o", str(out), str(ROOT / "native" / "lazycc-fast.c")], check=True)
    return str(out)


def _age(*paths: Path) -> None:
    for p in paths:
        os.utime(p, (1_600_000_000, 1_600_000_000))


def _run(exe: str, lz, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *args], cwd=lz.workdir, env=lz.env, capture_output=True)


def _outputs(lz, names: tuple[str, ...]) -> dict[str, bytes | None]:
    out = {}
    for n in names:
        p = lz.workdir / n
        out[n] = p.read_bytes() if p.exists() else None
        if p.exists():
            p.unlink()
    return out


def _served_natively(lz) -> bool:
    """The native client leaves its counters in stats.pending; any Python run folds them."""
    p = lz.cache_dir / "stats.pending"
    return p.exists() and p.stat().st_size > 0


SCENARIOS = {
    "plain": (("-Iinc", "-O2", "-c", "s.c", "-o", "s.o"), ("s.o",)),
    "md_warnings": (("-Iinc", "-Wall", "-MD", "-O1", "-c", "s.c", "-o", "s.o"), ("s.o", "s.d")),
    "mf_mt": (("-Iinc", "-MD", "-MF", "deps/s.dep", "-MT", "custom", "-g", "-c", "s.c", "-o", "s.o"),
              ("s.o", "deps/s.dep")),
    "default_output": (("-Iinc", "-Wextra", "-c", "s.c"), ("s.o",)),
    "launcher": (("clang-22", "-Iinc", "-O2", "-Wall", "-c", "s.c", "-o", "s.o"), ("s.o",)),
    "error": (("-Iinc", "-DBROKEN", "-c", "s.c", "-o", "s.o"), ("s.o",)),
}
SOURCE = '#include "k.h"\n#ifdef BROKEN\nint x = ;\n#endif\nint f(int x) { int unused; return x * K; }\n'


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_native_hits_equal_the_python_path(lz, fast_exe, name):
    args, outs = SCENARIOS[name]
    (lz.workdir / "deps").mkdir()
    _age(lz.write("inc/k.h", "#define K 7\n"), lz.write("s.c", SOURCE))
    results = []
    py = lambda: subprocess.run([str(Path(sys.executable).with_name("lazycc")), *args], cwd=lz.workdir,
                                env=lz.env, capture_output=True)
    for runner in (py, py, lambda: _run(fast_exe, lz, *args), lambda: _run(fast_exe, lz, *args)):
        proc = runner()
        results.append((proc.returncode, proc.stderr, _outputs(lz, outs)))
    assert all(r == results[0] for r in results), [r[:2] for r in results]
    if name == "error":
        assert results[0][0] != 0 and not _served_natively(lz)
        return
    assert _served_natively(lz), "the last run was a native hit"
    st = lz.stats()
    assert (st["compilations"], st["direct_hits"], st["cache_hits"]) == (4, 3, 3)


def test_native_client_hands_over_when_an_input_changes(lz, fast_exe):
    hdr = lz.write("inc/k.h", "#define K 7\n")
    _age(hdr, lz.write("s.c", SOURCE))
    args = ("-Iinc", "-O2", "-c", "s.c", "-o", "s.o")
    for _ in range(3):
        assert _run(fast_exe, lz, *args).returncode == 0
    assert _served_natively(lz)
    lz.stats()  # folds the pending counters
    hdr.write_text("#define K 8\n")
    _age(hdr)
    assert _run(fast_exe, lz, *args).returncode == 0
    assert not _served_natively(lz), "a changed header: Python compiled it"
    lz.clang("-Iinc", "-O2", "-c", "s.c", "-o", "ref.o")
    assert (lz.workdir / "s.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    # The same header content again, but a setting changed: another key, Python runs.
    lz.env["LAZYCC_POLICY"] = "none"
    assert _run(fast_exe, lz, *args).returncode == 0
    assert not _served_natively(lz)


def test_native_client_hands_over_on_a_corrupt_result(lz, fast_exe):
    _age(lz.write("inc/k.h", "#define K 7\n"), lz.write("s.c", SOURCE))
    args = ("-Iinc", "-c", "s.c", "-o", "s.o")
    for _ in range(2):
        assert _run(fast_exe, lz, *args).returncode == 0
    ref = (lz.workdir / "s.o").read_bytes()
    for p in (lz.cache_dir / "direct").rglob("*"):  # flip the last byte of every stored object
        if p.is_file() and p.stat().st_size > 1000:
            data = bytearray(p.read_bytes())
            data[-1] ^= 0xFF
            p.write_bytes(bytes(data))
    (lz.workdir / "s.o").unlink()
    proc = _run(fast_exe, lz, *args)
    assert proc.returncode == 0 and (lz.workdir / "s.o").read_bytes() == ref
    assert not _served_natively(lz) and lz.stats()["cache_corrupt"] >= 1


def test_nofast_and_response_files_go_to_python(lz, fast_exe):
    _age(lz.write("inc/k.h", "#define K 7\n"), lz.write("s.c", SOURCE))
    (lz.workdir / "args.rsp").write_text("-Iinc -c s.c -o s.o\n")
    for _ in range(3):
        assert _run(fast_exe, lz, "@args.rsp").returncode == 0
    assert not _served_natively(lz)
    lz.env["LAZYCC_NOFAST"] = "1"
    for _ in range(3):
        assert _run(fast_exe, lz, "-Iinc", "-c", "s.c", "-o", "s.o").returncode == 0
    assert not _served_natively(lz)
    assert lz.stats()["direct_hits"] == 5  # the response file held the same argv


def test_client_counters_are_stat_ids():
    from lazycc.stats import Stat

    text = (ROOT / "native" / "lazycc-fast.c").read_text()
    for stat in (Stat.COMPILATIONS, Stat.CACHE_HITS, Stat.DIRECT_HITS, Stat.TIME_TOTAL_S):
        assert f"{stat.value} " in text


def test_make_native_builds_and_installs(tmp_path):
    if CC is None:
        pytest.skip("no C compiler")
    (tmp_path / "python").symlink_to(sys.executable)
    # a symlinked venv python outside its venv does not see the venv's packages: PYTHONPATH
    subprocess.run(["make", "-s", "native", f"BIN={tmp_path}"], cwd=ROOT, check=True, capture_output=True,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))
    exe = tmp_path / "lazycc"
    assert exe.read_bytes()[:4] == b"\x7fELF"
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0 and "lazycc" in proc.stdout


@pytest.mark.parametrize("size", [0, 1, 55, 56, 63, 64, 65, 127, 1000, 300_001])
def test_client_sha256_matches_hashlib(fast_exe, tmp_path, size):
    """Both of the client's hash paths (portable and SHA-NI where the CPU has it)."""
    import hashlib

    data = os.urandom(size)
    (tmp_path / "blob").write_bytes(data)
    out = subprocess.run([fast_exe, "--lazycc-fast-sha256", str(tmp_path / "blob")], capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == hashlib.sha256(data).hexdigest()


def test_client_and_driver_compute_the_same_key(lz, fast_exe):
    """Same invocation, same key (else every hit would go to Python)."""
    from lazycc.driver import fastpath

    args = ["-Iinc", "-O2", "-c", "s.c", "-o", "s.o"]
    lz.env["PYTHONPATH"] = lz.env.get("PYTHONPATH", "") + ":/x y"
    (lz.cache_dir).mkdir(exist_ok=True)
    (lz.cache_dir / "lazycc.conf").write_text("unroll = 4\n")
    out = subprocess.run([fast_exe, "--lazycc-fast-key", *args], cwd=lz.workdir, env=lz.env, capture_output=True,
                         text=True, check=True, stdin=subprocess.DEVNULL).stdout.strip()
    expected = fastpath.invocation_key(fast_exe, args, str(lz.workdir), lz.env, False,
                                       fastpath.conf_digest(str(lz.cache_dir)))
    assert out == expected


LINK_MAIN = "int f(int);\nint main(void) { return f(6) - 42; }\n"


@pytest.mark.parametrize("broken,launcher", [(False, False), (True, False), (False, True)],
                         ids=["link", "failing-link", "launcher-link"])
def test_native_passthrough_links_equal_the_python_path(lz, fast_exe, broken, launcher):
    """A link (a pass-through) that Python passed through before is exec'd by the client
    itself: the same program, stderr and exit code, counted and logged the same way."""
    _age(lz.write("inc/k.h", "#define K 7\n"), lz.write("s.c", SOURCE), lz.write("m.c", LINK_MAIN))
    lz.clang("-Iinc", "-c", "s.c", "-o", "s.o")
    lz.clang("-c", "m.c", "-o", "m.o")
    args = (*(("clang-22",) if launcher else ()), "m.o", "s.o", *(("missing.o",) if broken else ()), "-o", "prog")
    py = lambda: subprocess.run([str(Path(sys.executable).with_name("lazycc")), *args], cwd=lz.workdir,
                                env=lz.env, capture_output=True)
    results = []
    for runner in (py, py, lambda: _run(fast_exe, lz, *args), lambda: _run(fast_exe, lz, *args)):
        proc = runner()
        results.append((proc.returncode, proc.stderr, _outputs(lz, ("prog",))))
    assert all(r == results[0] for r in results), [r[:2] for r in results]
    assert (results[0][0] != 0) == broken
    if not broken:
        lz.clang("m.o", "s.o", "-o", "ref")
        assert results[0][2]["prog"] == (lz.workdir / "ref").read_bytes()
    assert _served_natively(lz), "the last run was exec'd by the client"
    st = lz.stats()
    assert st["passthrough"] == {"link": 4} and st["compilations"] == 0, st
    assert lz.log.read_text().count("pass-through (link)") == 4


def test_native_passthrough_hands_over_when_another_compiler_would_be_found(lz, fast_exe, tmp_path):
    early = tmp_path / "early"
    early.mkdir()
    lz.env["PATH"] = f"{early}{os.pathsep}{lz.env['PATH']}"
    _age(lz.write("inc/k.h", "#define K 7\n"), lz.write("s.c", SOURCE), lz.write("m.c", LINK_MAIN))
    lz.clang("-Iinc", "-c", "s.c", "-o", "s.o")
    lz.clang("-c", "m.c", "-o", "m.o")
    for _ in range(2):
        assert _run(fast_exe, lz, "m.o", "s.o", "-o", "prog").returncode == 0
    assert _served_natively(lz)
    lz.stats()  # folds the pending counters
    marker = tmp_path / "wrapper-ran"
    wrapper = early / "clang-22"   # now found first on PATH: Python would run this one
    wrapper.write_text(f'#!/bin/sh\ntouch {marker}\nexec {shutil.which("clang-22")} "$@"\n')
    wrapper.chmod(0o755)
    assert _run(fast_exe, lz, "m.o", "s.o", "-o", "prog").returncode == 0
    assert marker.exists() and not _served_natively(lz)
