"""Lowering stage: IR text -> object file with the user's own flags.

Lowering `clang <flags> -c x.ll` from the unmodified front-end output gives the
same object as `clang <flags> -c x.c` (checked by tests with objdump), so a
module with no verified rewrite compiles exactly as plain clang would.
"""
from __future__ import annotations

import subprocess
import sys

from lazycc.driver.options import Flag, lookup


def lowering_args(args: tuple[str, ...]) -> list[str]:
    """User options minus those that only concern the front end or depfiles."""
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        row = lookup(a) if a.startswith("-") else None
        if row is not None:
            name, flags, glued = row
            if flags & (Flag.PREPROCESSOR | Flag.DEPFILE) or name == "-x":
                i += 1 if (glued or not flags & Flag.TAKES_ARG) else 2
                continue
        out.append(a)
        i += 1
    return out


def lower_command(clang: str, args: tuple[str, ...], ll_path: str, output: str) -> list[str]:
    return [clang, *lowering_args(args), "-Wno-unused-command-line-argument",
            "-c", "-x", "ir", ll_path, "-o", output]


def lower(clang: str, args: tuple[str, ...], ll_path: str, output: str,
          timeout: float | None = None, quiet_failure: bool = False) -> tuple[int, bytes]:
    """Compile IR to an object; returns (exit code, backend diagnostics).

    Diagnostics are echoed to our stderr, except with `quiet_failure` when
    lowering failed (a rejected rewritten module must not print errors the
    user's code does not have).
    """
    proc = subprocess.run(lower_command(clang, args, ll_path, output), timeout=timeout,
                          stderr=subprocess.PIPE)
    if proc.stderr and (proc.returncode == 0 or not quiet_failure):
        sys.stderr.buffer.write(proc.stderr)
        sys.stderr.flush()
    return proc.returncode, proc.stderr
