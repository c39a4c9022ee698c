"""Build-system integration: CMake (compiler, launcher, toolchain file), SCons, masquerade symlinks.

Each test generates a small C project (a library + an executable) in tmp_path,
builds it through one integration form from wrappers/, runs the program, and
checks through `lazycc --show-stats --json` that the compiles went through
lazycc (a build that silently used plain clang would pass the run check alone).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WRAPPERS = REPO / "wrappers"
CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")

LIB_H = """\
#ifndef SHAPES_H
#define SHAPES_H
long area(long w, long h);
long perimeter(long w, long h);
long pick(int which, long a, long b);
#endif
"""
LIB_C = """\
#include "shapes.h"
static long twice(long x) { return 2 * x; }
long area(long w, long h) { return w * h; }
long perimeter(long w, long h) { return twice(w) + twice(h); }
long pick(int which, long a, long b) { return which ? a : b; }
"""
MAIN_C = """\
#include <stdio.h>
#include "shapes.h"
int main(void) {
    long total = 0;
    for (int i = 1; i <= 10; i++) total += pick(i % 3 == 0, area(i, i + 1), perimeter(i, 2));
    printf("shapes total=%ld\\n", total);
    return 0;
}
"""


def expected_output() -> str:
    twice = lambda x: 2 * x  # noqa: E731
    total = sum((i * (i + 1)) if i % 3 == 0 else twice(i) + twice(2) for i in range(1, 11))
    return f"shapes total={total}\n"


def write_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "shapes.h").write_text(LIB_H)
    (root / "shapes.c").write_text(LIB_C)
    (root / "main.c").write_text(MAIN_C)
    return root


def need(*tools: str) -> None:
    for t in tools:
        if shutil.which(t) is None:
            pytest.skip(f"{t} not installed")


def run(cmd: list[str], cwd: Path, env: dict, timeout: float = 300) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}:\n{proc.stdout[-6000:]}")
    return proc.stdout


def lazycc_path(lz) -> str:
    return shutil.which("lazycc", path=lz.env["PATH"]) or "lazycc"


# ---------------------------------------------------------------- CMake

CMAKELISTS = """\
cmake_minimum_required(VERSION 3.13)
project(shapes C)
add_library(shapes STATIC shapes.c)
add_library(shapes_shared SHARED shapes.c)
add_executable(app main.c)
target_link_libraries(app shapes)
"""


def cmake_build(lz, tmp_path: Path, *defs: str) -> tuple[Path, str]:
    src = write_project(tmp_path / "src")
    (src / "CMakeLists.txt").write_text(CMAKELISTS)
    build = tmp_path / "build"
    out = run(["cmake", "-S", str(src), "-B", str(build), *defs], tmp_path, lz.env)
    run(["cmake", "--build", str(build), "-j2", "--verbose"], tmp_path, lz.env)
    return build, out


def compiler_info(build: Path, var: str = "CMAKE_C_COMPILER_ID") -> str:
    """A variable of CMake's compiler-identification result (CMakeCCompiler.cmake)."""
    text = "".join(p.read_text() for p in build.glob("CMakeFiles/*/CMakeCCompiler.cmake"))
    m = re.search(rf'set\({var} "([^"]*)"\)', text)
    return m.group(1) if m else ""


def check_app(lz, build: Path) -> None:
    got = subprocess.run([str(build / "app")], capture_output=True, text=True, timeout=30)
    assert (got.returncode, got.stdout) == (0, expected_output())


@pytest.mark.slow
@pytest.mark.parametrize("form", ["compiler", "toolchain-file"])
def test_cmake_with_lazycc_as_compiler(lz, tmp_path, form):
    need("cmake", "make")
    defs = {"compiler": [f"-DCMAKE_C_COMPILER={lazycc_path(lz)}"],
            "toolchain-file": [f"-DCMAKE_TOOLCHAIN_FILE={WRAPPERS / 'cmake' / 'lazycc-toolchain.cmake'}"]}[form]
    build, out = cmake_build(lz, tmp_path, *defs)
    assert "The C compiler identification is Clang" in out, out
    assert compiler_info(build) == "Clang"
    assert os.path.basename(compiler_info(build, "CMAKE_C_COMPILER")) == "lazycc"
    check_app(lz, build)
    st = lz.stats()
    # shapes.c twice (static, PIC) + main.c, plus CMake's identification/ABI compiles
    assert st["compilations"] >= 3
    assert st["fallbacks"] == 0 and st["cache_errors"] == 0
    assert st["passthrough"].get("link", 0) >= 2


@pytest.mark.slow
def test_cmake_with_lazycc_as_launcher(lz, tmp_path):
    need("cmake", "make", CLANG)
    build, out = cmake_build(lz, tmp_path, f"-DCMAKE_C_COMPILER={shutil.which(CLANG)}",
                             f"-DCMAKE_C_COMPILER_LAUNCHER={lazycc_path(lz)}")
    assert compiler_info(build) == "Clang"
    check_app(lz, build)
    st = lz.stats()
    # The launcher wraps compiles only (CMake links with the compiler itself):
    # exactly the three object builds, and no probes.
    assert st["compilations"] == 3
    assert st["fallbacks"] == 0
    assert st["passthrough"] == {}


# ---------------------------------------------------------------- SCons

SCONSTRUCT = """\
env = Environment(tools=["default", "lazycc"])
shared = env.SharedLibrary("shapes", ["shapes.c"])
env.Program("app", ["main.c", "shapes.c"])
print("LAZYCC_CC=" + env["CC"])
print("LAZYCC_CCVERSION=" + env.get("CCVERSION", ""))
"""


def scons_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("scons")
    if exe.exists():
        return [str(exe)]
    if shutil.which("scons"):
        return ["scons"]
    pytest.skip("scons not installed (pip install scons)")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["site-dir", "copied-site_scons"])
def test_scons_tool(lz, tmp_path, how):
    scons = scons_cmd()
    need(CLANG)
    src = write_project(tmp_path / "src")
    (src / "SConstruct").write_text(SCONSTRUCT)
    args = [*scons, "-Q"]
    if how == "site-dir":
        args.append(f"--site-dir={WRAPPERS / 'scons' / 'site_scons'}")
    else:
        shutil.copytree(WRAPPERS / "scons" / "site_scons", src / "site_scons")
    # SCons ignores the shell's CC: set one that would fail if it were used.
    env = dict(lz.env, CC="/nonexistent/cc")
    out = run(args, src, env)
    assert f"LAZYCC_CC={lazycc_path(lz)}" in out
    assert re.search(r"LAZYCC_CCVERSION=\d+\.", out), out
    got = subprocess.run([str(src / "app")], capture_output=True, text=True, timeout=30)
    assert (got.returncode, got.stdout) == (0, expected_output())
    assert (src / "shapes.os").exists()  # SCons' shared-object suffix went through lazycc too
    # LAZYCC_DIR reached the compiles through env['ENV']: the stats are in *our* cache dir.
    st = lz.stats()
    assert st["compilations"] == 3  # main.c, shapes.c, shapes.c -fPIC (.os)
    assert st["fallbacks"] == 0
    assert st["passthrough"].get("probe", 0) >= 1  # -dumpversion
    assert st["passthrough"].get("link", 0) == 2  # libshapes.so, app


# ---------------------------------------------------------------- masquerade

@pytest.mark.slow
def test_masquerade_symlinks(lz, tmp_path):
    need(CLANG)
    links = tmp_path / "links"
    lz.run("--install-symlinks", str(links))
    for name in ("cc", "gcc", "clang", "clang-22"):
        assert (links / name).is_symlink()
        assert os.path.realpath(links / name) == os.path.realpath(lazycc_path(lz))
    write_project(lz.workdir)
    env = dict(lz.env, PATH=f"{links}{os.pathsep}{lz.env['PATH']}")
    assert shutil.which("cc", path=env["PATH"]) == str(links / "cc")
    # A loop (cc -> lazycc -> clang-22 on PATH -> lazycc ...) would hang: timeout.
    for step in (["cc", "-O2", "-c", "shapes.c", "-o", "shapes.o"],
                 ["clang", "-O2", "-c", "main.c", "-o", "main.o"],
                 ["cc", "main.o", "shapes.o", "-o", "app"]):
        subprocess.run(step, cwd=lz.workdir, env=env, check=True, timeout=60)
    got = subprocess.run(["./app"], cwd=lz.workdir, capture_output=True, text=True, timeout=30)
    assert got.stdout == expected_output()
    version = subprocess.run(["cc", "--version"], cwd=lz.workdir, env=env, capture_output=True,
                             text=True, timeout=60)
    assert version.returncode == 0 and "clang version" in version.stdout
    st = lz.stats()
    assert st["compilations"] == 2
    assert st["fallbacks"] == 0
    assert st["passthrough"] == {"link": 1, "probe": 1}


def test_launcher_with_gcc_runs_gcc_untouched(lz):
    """CMAKE_C_COMPILER=gcc + CMAKE_C_COMPILER_LAUNCHER=lazycc must still build (pass-through)."""
    need("gcc")
    lz.write("a.c", "int f(int x) { return x + 1; }\n")
    proc = lz.run("gcc", "-O2", "-c", "a.c", "-o", "a.o", check=False)
    assert proc.returncode == 0, proc.stderr
    assert (lz.workdir / "a.o").exists()
    st = lz.stats()
    assert st["compile_errors"] == 0 and st["compilations"] == 0
    assert st["passthrough"] == {"other_compiler": 1}
