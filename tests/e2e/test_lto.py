"""Whole-program mode (driver/lto.py): a full-LTO link merges its bitcode objects, lazifies
the merged module (a callee in another file becomes a candidate) and links the verified
rewrite; any failure runs the user's link unchanged, with its exit code."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from lazycc.driver.classify import LtoLink, PassThrough, Reason, classify
from projects import JOBS, corpus_tree, lazycc_cc, need, sh

# main.c's call passes an expensive argument to a function of other.c that needs it on one
# call in 300: only a whole-program view sees that.
MAIN = """#include <stdio.h>
unsigned long long expensive(unsigned long long n);
long report(int verbose, unsigned long long detail);
int main(int argc, char **argv) {
    long total = 0;
    for (int i = 0; i < 300; i++)
        total += report(i == 299 && argc > 0, expensive(2000 + i % 7));
    printf("total %ld\\n", total);
    return 0;
}
"""
OTHER = """#include <stdio.h>
/* Collatz steps summed over a range: pure, a data-dependent loop. */
unsigned long long expensive(unsigned long long n) {
    unsigned long long total = 0;
    for (unsigned long long k = 1; k <= n; k++) {
        unsigned long long x = k;
        while (x != 1) { x = (x & 1) ? 3 * x + 1 : x / 2; total++; }
    }
    return total;
}
long report(int verbose, unsigned long long detail) {
    if (verbose) { printf("detail %llu\\n", detail); return (long)(detail & 0xff); }
    return 1;
}
"""
EXPECTED = "detail 134660\ntotal 303\n"

LINKERS = [pytest.param((), id="default-ld"),
           pytest.param(("-fuse-ld=gold",), id="gold",
                        marks=pytest.mark.skipif(shutil.which("ld.gold") is None, reason="gold not installed")),
           pytest.param(("-fuse-ld=lld",), id="lld",
                        marks=pytest.mark.skipif(shutil.which("ld.lld-22") is None and shutil.which("ld.lld") is None,
                                                 reason="lld not installed (make system)"))]


# ---------------------------------------------------------------- classification

def test_classify_lto_links():
    plan = classify(["-O2", "-flto", "main.o", "other.o", "-o", "prog", "-lm"])
    assert isinstance(plan, LtoLink)
    assert [plan.argv[i] for i in plan.inputs] == ["main.o", "other.o"]
    assert plan.opt_level == "2" and plan.output == "prog"
    assert classify(["-flto=full", "-Os", "a.o"]).opt_level == "s"
    assert classify(["-flto", "a.o"]).opt_level == "2"     # the LTO backend's default
    assert classify(["-flto", "a.o", "libx.a"]).inputs == (1, 2)
    # not full LTO, or linker options a merge cannot honour: untouched links
    assert classify(["-flto", "-fno-lto", "a.o"]) == PassThrough(Reason.LINK)
    assert classify(["a.o", "b.o"]) == PassThrough(Reason.LINK)
    assert classify(["-flto=thin", "a.o"]).reason is Reason.UNSUPPORTED_OPTION
    for refused in (["-Wl,--wrap=malloc"], ["-Wl,--wrap,malloc"], ["-Xlinker", "--defsym=x=1"], ["-r"],
                    ["-Wl,--start-lib", "b.o", "-Wl,--end-lib"]):
        plan = classify(["-flto", "a.o", *refused])
        assert isinstance(plan, PassThrough) and plan.reason is Reason.LINK and "symbol resolution" in plan.detail
    assert isinstance(classify(["-flto", "a.o", "-Wl,--gc-sections,-O1"]), LtoLink)


# ---------------------------------------------------------------- end to end

def _build_objects(lz, compiler):
    lz.write("main.c", MAIN)
    lz.write("other.c", OTHER)
    for src in ("main.c", "other.c"):
        compiler("-O2", "-flto", "-c", src, "-o", src[:-2] + ".o")


def _run(lz, exe: str) -> str:
    return subprocess.run([str(lz.workdir / exe)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("linker", LINKERS)
def test_cross_file_site_is_lazified_at_link_time(lz, linker):
    _build_objects(lz, lz.run)
    lz.clang("-O2", "-flto", *linker, "main.o", "other.o", "-o", "plain")
    assert _run(lz, "plain") == EXPECTED
    # the per-file compiles cannot see report's body: nothing to defer there
    assert lz.stats()["rewrites_accepted"] == 0

    lz.run("-O2", "-flto", *linker, "main.o", "other.o", "-o", "lazy")
    assert _run(lz, "lazy") == EXPECTED
    st = lz.stats()
    assert st["lto_links"] == 1 and st["lto_modules_rewritten"] == 1 and st["lto_rewrites_accepted"] == 1
    assert st["lto_fallbacks"] == 0 and st["fallbacks"] == 0 and st["verdicts_verified"] >= 1
    log = lz.log.read_text()
    assert "lazy (lto): rewritten (candidates=" in log and "@main: correct" in log
    assert "linked the rewritten module (1 deferred arguments)" in log

    # a relink of the same objects reuses the decision (no validator run)
    lz.run("-O2", "-flto", *linker, "main.o", "other.o", "-o", "lazy2")
    assert _run(lz, "lazy2") == EXPECTED
    st2 = lz.stats()
    assert st2["lto_links"] == 2 and st2["lto_modules_rewritten"] == 2
    assert st2["cache_hits"] == st["cache_hits"] + 1 and st2["verdicts_verified"] == st["verdicts_verified"]
    assert (lz.workdir / "lazy").read_bytes() == (lz.workdir / "lazy2").read_bytes()


def test_one_step_compile_and_link_is_lazified(lz):
    lz.write("main.c", MAIN)
    lz.write("other.c", OTHER)
    lz.run("-O2", "-flto", "main.c", "other.c", "-o", "prog")
    assert _run(lz, "prog") == EXPECTED
    st = lz.stats()
    assert st["compilations"] == 2 and st["lto_links"] == 1 and st["lto_rewrites_accepted"] == 1


def test_response_file_link(lz):
    """A link whose inputs come from a response file: the rewritten link uses one too."""
    _build_objects(lz, lz.run)
    lz.write("objs.rsp", "main.o 'other.o'\n")
    lz.run("-O2", "-flto", "@objs.rsp", "-o", "lazy")
    assert _run(lz, "lazy") == EXPECTED
    st = lz.stats()
    assert st["lto_modules_rewritten"] == 1 and st["lto_fallbacks"] == 0
    assert "lazy (in a response file)" in lz.log.read_text()


def test_lto_off_links_untouched(lz):
    _build_objects(lz, lz.clang)
    lz.clang("-O2", "-flto", "main.o", "other.o", "-o", "plain")
    lz.env["LAZYCC_LTO"] = "off"
    for _ in range(2):  # the second may be served by the native client's pass-through entry
        lz.run("-O2", "-flto", "main.o", "other.o", "-o", "off")
    assert (lz.workdir / "off").read_bytes() == (lz.workdir / "plain").read_bytes()
    st = lz.stats()
    assert st["lto_links"] == 0 and st["passthrough"].get("link") == 2
    # back on: the same argv is not served as a pass-through (the settings are in its key)
    del lz.env["LAZYCC_LTO"]
    lz.run("-O2", "-flto", "main.o", "other.o", "-o", "on")
    assert lz.stats()["lto_links"] == 1
    # and an LTO link leaves no pass-through entry behind: the next one is lazified again
    lz.run("-O2", "-flto", "main.o", "other.o", "-o", "on")
    assert lz.stats()["lto_links"] == 2


def test_native_objects_only_untouched(lz):
    lz.write("main.c", MAIN)
    lz.write("other.c", OTHER)
    for src in ("main.c", "other.c"):
        lz.clang("-O2", "-c", src)
    lz.clang("-O2", "-flto", "main.o", "other.o", "-o", "plain")
    lz.run("-O2", "-flto", "main.o", "other.o", "-o", "lazy")
    assert (lz.workdir / "lazy").read_bytes() == (lz.workdir / "plain").read_bytes()
    st = lz.stats()
    assert st["lto_links"] == 0 and st["passthrough"].get("link") == 1
    assert "-flto without bitcode inputs" in lz.log.read_text()


def test_failing_merge_runs_the_users_link(lz):
    _build_objects(lz, lz.clang)
    # two strong definitions: llvm-link refuses to merge, the linker takes the first one
    lz.write("d1.c", "int dup(void) { return 1; }\n")
    lz.write("d2.c", "int dup(void) { return 2; }\n")
    lz.clang("-O2", "-flto", "-c", "d1.c", "d2.c")
    args = ("-O2", "-flto", "main.o", "other.o", "d1.o", "d2.o", "-Wl,--allow-multiple-definition")
    plain = lz.clang(*args, "-o", "plain", check=False)
    lazy = lz.run(*args, "-o", "lazy", check=False)
    assert plain.returncode == lazy.returncode == 0
    assert _run(lz, "lazy") == EXPECTED
    st = lz.stats()
    assert st["lto_links"] == 1 and st["lto_fallbacks"] == 1 and st["fallbacks"] == 1
    assert "llvm-link exited" in lz.log.read_text()

    # a bogus bitcode object: the merge fails, and so does the user's link, with its exit code
    (lz.workdir / "bogus.o").write_bytes(b"BC\xc0\xde" + b"\x00garbage" * 8)
    plain = lz.clang("-O2", "-flto", "main.o", "other.o", "bogus.o", "-o", "p2", check=False)
    lazy = lz.run("-O2", "-flto", "main.o", "other.o", "bogus.o", "-o", "l2", check=False)
    assert plain.returncode != 0 and lazy.returncode == plain.returncode
    assert lz.stats()["lto_fallbacks"] == 2


def test_undefined_symbol_fails_like_clang(lz):
    """The rewritten link fails for the user's own reason: the user's link runs and its
    diagnostics and exit code are what the user sees."""
    lz.write("main.c", MAIN.replace("printf(\"total", "missing(); printf(\"total")
             .replace("int main", "void missing(void);\nint main"))
    lz.write("other.c", OTHER)
    for src in ("main.c", "other.c"):
        lz.clang("-O2", "-flto", "-c", src)
    plain = lz.clang("-O2", "-flto", "main.o", "other.o", "-o", "p", check=False)
    lazy = lz.run("-O2", "-flto", "main.o", "other.o", "-o", "l", check=False)
    assert plain.returncode != 0 and lazy.returncode == plain.returncode
    assert "missing" in lazy.stderr and lazy.stderr.count("undefined reference") == \
        plain.stderr.count("undefined reference")


# ---------------------------------------------------------------- a real project

ZLIB_OBJECTS = ("adler32.o", "crc32.o", "deflate.o", "infback.o", "inffast.o", "inflate.o", "inftrees.o",
                "trees.o", "zutil.o", "compress.o", "uncompr.o", "gzclose.o", "gzlib.o", "gzread.o", "gzwrite.o")


@pytest.mark.slow
def test_zlib_under_full_lto(lz, tmp_path):
    """zlib built with CC=lazycc CFLAGS='-O2 -flto' LDFLAGS=-flto passes its own test; minigzip
    linked from all 16 objects (the whole program: its calls into the library become candidates)
    compresses exactly as plain clang's build of the same objects does."""
    need("make")
    need("llvm-ar-22")
    tree = tmp_path / "zlib"
    shutil.copytree(corpus_tree("zlib"), tree, symlinks=True)
    log = tmp_path / "build.log"
    env = dict(lz.env, CC=lazycc_cc(lz), CFLAGS="-O2 -flto", LDFLAGS="-flto", AR="llvm-ar-22")
    sh(["./configure", "--static"], tree, env, log)
    out = sh(["make", f"-j{JOBS}", "test"], tree, env, log)
    assert "*** zlib test OK ***" in out
    built = lz.stats()
    assert built["lto_links"] >= 2 and built["lto_fallbacks"] == 0 and built["fallbacks"] == 0

    # the whole program: minigzip with the library's objects instead of libz.a
    objs = ["minigzip.o", *ZLIB_OBJECTS]
    lz.clang("-O2", "-flto", *objs, "-o", "mg-plain", cwd=tree)
    lz.run("-O2", "-flto", *objs, "-o", "mg-lazy", cwd=tree)
    st = lz.stats()
    assert st["lto_links"] == built["lto_links"] + 1 and st["lto_fallbacks"] == 0
    text = lz.log.read_text()
    merged = [line for line in text.splitlines() if "mg-lazy (lto): " in line and "candidates=" in line]
    alone = [line for line in text.splitlines() if "minigzip (lto): " in line and "candidates=" in line]
    def count(line: str) -> int:
        return int(line.split("candidates=")[1].split(",")[0])

    assert merged and alone and count(merged[-1]) > 4 * count(alone[-1]), (merged, alone)
    data = b"".join((tree / n).read_bytes() for n in ("deflate.c", "inflate.c", "trees.c")) * 3
    outs = [subprocess.run([str(tree / exe), "-c"], input=data, capture_output=True, check=True).stdout
            for exe in ("mg-plain", "mg-lazy")]
    assert outs[0] == outs[1] and len(outs[0]) < len(data)
    back = subprocess.run([str(tree / "mg-lazy"), "-d", "-c"], input=outs[1], capture_output=True, check=True).stdout
    assert back == data
