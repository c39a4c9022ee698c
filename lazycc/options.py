"""Clang options lazycc must know about: one sorted table with flags.

The driver's classifier (`driver/classify.py`) walks the user's argv once and
dispatches on these flags; it hands the IR and lowering stages finished argument
lists, so neither walks argv nor imports the driver (this module sits below them).
Anything not listed is an ordinary compile option passed through unchanged to
every step. `lookup()` is a binary search over the table as written (not sorted at
import): tests/driver/test_classify.py checks its source order and flag combinations.
"""
from __future__ import annotations

import bisect
import enum


class Flag(enum.IntFlag):
    NONE = 0
    TAKES_ARG = 1        # value may be the next argv element (`-o x`)
    TAKES_CONCAT = 2     # value may be glued on (`-Ifoo`, `-MFx.d`)
    TOO_HARD = 4         # a compile we do not take over: pass through
    PREPROCESSOR = 8     # front-end only: dropped when lowering IR
    DEPFILE = 16         # dependency-file output: emitted by the front-end step only
    LINK_ONLY = 32       # only meaningful at link time
    PROBE = 64           # asks clang about itself, no compile
    MODE = 128           # selects a non-object output (-E, -S, ...); which one is one of:
    PREPROCESS = 256     #   -E: preprocessed source
    ASSEMBLY = 512       #   -S: assembly
    SYNTAX_ONLY = 1024   #   -fsyntax-only: diagnostics only
    DEPS_ONLY = 2048     #   -M/-MM: a dependency list (a compile too only with -MD/-MMD)
    DEPS_BESIDE = 4096   # -MD/-MMD: a dependency file beside the compile
    OUTPUT = 8192        # -o: names the output
    LANGUAGE = 16384     # -x: the language of later inputs (dropped when lowering IR)
    COMPILE_ONLY = 32768  # -c: compile, do not link


F = Flag
# (option, flags), written in sorted order (`lookup` bisects it; a test checks the order).
# Options matched by prefix are those with TAKES_CONCAT, plus the `-print-`/`-f...`
# families handled in classify.
OPTIONS: tuple[tuple[str, Flag], ...] = (
    ("-###", F.PROBE),
    ("--analyze", F.TOO_HARD),
    ("--help", F.PROBE),
    ("--version", F.PROBE),
    ("-D", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-E", F.MODE | F.PREPROCESS),
    ("-I", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-L", F.TAKES_ARG | F.TAKES_CONCAT | F.LINK_ONLY),
    ("-M", F.MODE | F.DEPS_ONLY),
    ("-MD", F.DEPFILE | F.DEPS_BESIDE),
    ("-MF", F.TAKES_ARG | F.TAKES_CONCAT | F.DEPFILE),
    ("-MG", F.DEPFILE),
    ("-MM", F.MODE | F.DEPS_ONLY),
    ("-MMD", F.DEPFILE | F.DEPS_BESIDE),
    ("-MP", F.DEPFILE),
    ("-MQ", F.TAKES_ARG | F.TAKES_CONCAT | F.DEPFILE),
    ("-MT", F.TAKES_ARG | F.TAKES_CONCAT | F.DEPFILE),
    ("-S", F.MODE | F.ASSEMBLY),
    ("-U", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-V", F.PROBE),
    ("-Wl,", F.TAKES_CONCAT | F.LINK_ONLY),
    ("-Xassembler", F.TAKES_ARG),
    ("-Xclang", F.TAKES_ARG | F.TOO_HARD),   # raw cc1 options: meaning unknown to us
    ("-Xlinker", F.TAKES_ARG | F.LINK_ONLY),
    ("-Xpreprocessor", F.TAKES_ARG | F.PREPROCESSOR),
    ("-arch", F.TAKES_ARG | F.TOO_HARD),
    ("-c", F.COMPILE_ONLY),
    ("-dumpmachine", F.PROBE),
    ("-dumpversion", F.PROBE),
    ("-emit-llvm", F.TOO_HARD),              # the user wants IR, not an object
    ("-fcoverage-mapping", F.TOO_HARD),
    ("-fembed-bitcode", F.TOO_HARD),
    ("-fmodules", F.TOO_HARD),
    ("-fprofile-generate", F.TOO_HARD),      # instrumentation inserted by passes we would run twice
    ("-fprofile-instr-generate", F.TOO_HARD),
    ("-fsyntax-only", F.MODE | F.SYNTAX_ONLY),
    ("-ftime-trace", F.TOO_HARD),
    ("-gsplit-dwarf", F.TOO_HARD),           # writes a second output named after -o
    ("-idirafter", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-imacros", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-include", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-iprefix", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-iquote", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-isysroot", F.TAKES_ARG | F.TAKES_CONCAT),
    ("-isystem", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-iwithprefix", F.TAKES_ARG | F.TAKES_CONCAT | F.PREPROCESSOR),
    ("-l", F.TAKES_ARG | F.TAKES_CONCAT | F.LINK_ONLY),
    ("-o", F.TAKES_ARG | F.TAKES_CONCAT | F.OUTPUT),
    ("-qversion", F.PROBE),
    ("-rdynamic", F.LINK_ONLY),
    ("-save-temps", F.TOO_HARD),
    ("-shared", F.LINK_ONLY),
    ("-static", F.LINK_ONLY),
    ("-target", F.TAKES_ARG),
    ("-u", F.TAKES_ARG | F.LINK_ONLY),
    ("-v", F.PROBE),
    ("-x", F.TAKES_ARG | F.TAKES_CONCAT | F.LANGUAGE),
)
_NAMES = [name for name, _ in OPTIONS]

# Prefix families that are not worth a row each.
PREFIX_PROBES = ("-print-", "--print-")
PREFIX_TOO_HARD = ("-fsanitize=", "-fprofile-instr-use", "-fprofile-use", "-fprofile-sample-use",
                   "-save-temps=", "-fxray", "-flto=thin", "--serialize-diagnostics")


def lookup(arg: str) -> tuple[str, Flag, str | None] | None:
    """Find the table row for `arg`: (option, flags, glued value or None)."""
    i = bisect.bisect_left(_NAMES, arg)
    if i < len(_NAMES) and _NAMES[i] == arg:
        return OPTIONS[i][0], OPTIONS[i][1], None
    # Longest option that is a prefix of arg and accepts a glued value.
    best = None
    for name, flags in OPTIONS:
        if flags & Flag.TAKES_CONCAT and arg.startswith(name) and (best is None or len(name) > len(best[0])):
            best = (name, flags, arg[len(name):])
    return best
