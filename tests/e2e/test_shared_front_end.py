"""One front end for a cold compile (issue 11 item 7): in direct mode the user's own compile
hands back the IR too (`ir.compile_keeping_ir`), so a module with nothing to rewrite costs one
clang run, and its object is clang's own, byte for byte."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from lazycc import ir

MICRO = Path(__file__).resolve().parents[2] / "integration" / "micro"

# printf("...\n") becomes puts() at -O1+ (private `str` globals numbered by a module-wide counter);
# `twice` is a called defined function, so the pre-filter does not skip the module
PROGRAM = r'''
#include <stdio.h>
static const char *names[] = {"zero", "one", "two", "three"};
static int twice(int x, int y) { return y ? x * 2 : 0; }
int main(int argc, char **argv) {
    int unused;
    printf("%s %d\n", names[argc & 3], twice(argc + 1, argc));
    printf("first line of the report\n");
    if (argc > 2) printf("many arguments\n");
    return 0;
}
'''


def _age(*paths: Path) -> None:
    for p in paths:
        os.utime(p, (1_600_000_000, 1_600_000_000))   # old inputs: direct mode takes part


@pytest.mark.parametrize("flags", [["-O0"], ["-O2"], ["-O3", "-g"], ["-Os", "-fPIC"], ["-O1", "-DX=1"]])
def test_dumped_ir_is_emit_ir_and_object_is_clangs(tmp_path, flags):
    src = tmp_path / "p.c"
    src.write_text(PROGRAM)
    dump = tmp_path / "dump"
    dump.mkdir()
    proc, text = ir.compile_keeping_ir("clang-22", tuple(flags), str(src), str(tmp_path / "k.o"), str(dump))
    assert proc.returncode == 0 and text is not None
    emitted = ir.emit_ir("clang-22", tuple(flags), str(src), str(tmp_path / "e.ll"))
    assert text == emitted.text
    subprocess.run(["clang-22", *flags, "-c", str(src), "-o", str(tmp_path / "r.o")], check=True,
                   capture_output=True)
    assert (tmp_path / "k.o").read_bytes() == (tmp_path / "r.o").read_bytes()


@pytest.mark.parametrize("flags", [["-O2"], ["-O3", "-g"], ["-O0"]])
def test_unchanged_module_one_front_end_clangs_object(lz, flags):
    src = lz.write("p.c", PROGRAM)
    _age(src)
    got = lz.run(*flags, "-Wall", "-c", "p.c", "-o", "lz.o")
    ref = lz.clang(*flags, "-Wall", "-c", "p.c", "-o", "ref.o")
    assert (lz.workdir / "lz.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    assert got.stderr == ref.stderr and "unused" in got.stderr
    st = lz.stats()
    assert st["shared_front_end"] == 1 and st["modules_unchanged"] == 1 and st["fallbacks"] == 0, st
    assert st["cache_misses"] == 1          # the pipeline did run on the dumped IR
    assert "emitting it separately" not in lz.log.read_text()


def test_rewritten_module_lowered_over_the_shared_compile(lz):
    """A verified rewrite replaces the object; diagnostics are clang's own, printed once."""
    src = lz.write("rare_use.c", (MICRO / "rare_use.c").read_text() + "static int dead(void) { return 1; }\n")
    _age(src)
    got = lz.run("-O2", "-Wall", "-c", "rare_use.c", "-o", "lz.o")
    ref = lz.clang("-O2", "-Wall", "-c", "rare_use.c", "-o", "ref.o")
    assert got.stderr == ref.stderr and got.stderr.count("dead") == ref.stderr.count("dead") >= 1
    st = lz.stats()
    assert st["shared_front_end"] == 1 and st["modules_rewritten"] == 1 and st["rewrites_accepted"] >= 1, st
    assert (lz.workdir / "lz.o").read_bytes() != (lz.workdir / "ref.o").read_bytes()
    lz.run("lz.o", "-o", "lz.exe")
    lz.clang("ref.o", "-o", "ref.exe")
    outs = [subprocess.run([str(lz.workdir / e), "3000"], capture_output=True, text=True).stdout
            for e in ("lz.exe", "ref.exe")]
    assert outs[0] == outs[1] and outs[0]


def test_outside_direct_mode_the_front_end_runs_apart(lz):
    """-MMD keeps direct mode out (a warm rebuild is an emit plus cache hits there, cheaper than
    a whole compile), so the IR is emitted on its own as before."""
    src = lz.write("p.c", PROGRAM)
    _age(src)
    lz.run("-O2", "-MMD", "-c", "p.c", "-o", "lz.o")
    lz.clang("-O2", "-c", "p.c", "-o", "ref.o")
    assert (lz.workdir / "lz.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    st = lz.stats()
    assert st.get("shared_front_end", 0) == 0 and st["modules_unchanged"] == 1


def test_no_dump_falls_back_to_emitting(lz, tmp_path):
    """A clang that ignores the dump options (here a wrapper dropping -mllvm) still builds right."""
    tools = tmp_path / "tools"
    tools.mkdir()
    clang = tools / "clang"
    clang.write_text('#!/bin/sh\nfor a; do shift; case "$skip$a" in -mllvm) skip=1;; 1*) skip=;; '
                     '*) set -- "$@" "$a";; esac; done\nexec clang-22 "$@"\n')
    clang.chmod(0o755)
    lz.env["LAZYCC_CLANG"] = str(clang)
    src = lz.write("p.c", PROGRAM)
    _age(src)
    lz.run("-O2", "-c", "p.c", "-o", "lz.o")
    lz.clang("-O2", "-c", "p.c", "-o", "ref.o")
    assert (lz.workdir / "lz.o").read_bytes() == (lz.workdir / "ref.o").read_bytes()
    st = lz.stats()
    assert st.get("shared_front_end", 0) == 0 and st["modules_unchanged"] == 1 and st["fallbacks"] == 0
    assert "emitting it separately" in lz.log.read_text()
