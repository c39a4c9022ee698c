"""Lowering stage: IR text -> object file with the user's own flags.

Lowering `clang <flags> -c x.ll` from the unmodified front-end output gives the
same object as `clang <flags> -c x.c` (checked by tests with objdump), so a
module with no verified rewrite compiles exactly as plain clang would. The
flags arrive already filtered by the driver's classifier (`lowering_args`).
"""
from __future__ import annotations

import subprocess
import sys

def lower_command(clang: str, lowering_args: tuple[str, ...], ll_path: str, output: str) -> list[str]:
    """`lowering_args`: the user's options that matter for IR (the driver's compile plan,
    `CompileJob.lowering_args`: no preprocessor, depfile or -x options)."""
    return [clang, *lowering_args, "-Wno-unused-command-line-argument",
            "-c", "-x", "ir", ll_path, "-o", output]


def lower(clang: str, lowering_args: tuple[str, ...], ll_path: str, output: str,
          timeout: float | None = None, quiet_failure: bool = False, echo: bool = True) -> tuple[int, bytes]:
    """Compile IR to an object; returns (exit code, backend diagnostics).

    Diagnostics are echoed to our stderr, except with `quiet_failure` when
    lowering failed (a rejected rewritten module must not print errors the
    user's code does not have), and never without `echo` (the user's own compile
    already printed clang's diagnostics).
    """
    proc = subprocess.run(lower_command(clang, lowering_args, ll_path, output), timeout=timeout,
                          stderr=subprocess.PIPE)
    if proc.stderr and echo and (proc.returncode == 0 or not quiet_failure):
        sys.stderr.buffer.write(proc.stderr)
        sys.stderr.flush()
    return proc.returncode, proc.stderr
