"""Configurations: which ones this lazycc offers, and the compiler wrapper scripts that select them.

A configuration name is either `clang` (the baseline: clang-22 itself) or a lazycc policy name
(`heuristic`, `all`, `profile`, `model`, ...).  Availability is asked of lazycc, never
hard-coded: the policy list is read from `lazycc --help` (the LAZYCC_POLICY line) and a policy is
confirmed with `LAZYCC_POLICY=<p> lazycc --show-config`, which rejects an unknown policy.  A
configuration that is not available is skipped with a message and picked up when it lands.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass

BASELINE = "clang"
CLANG = os.environ.get("LAZYCC_BENCH_CLANG", "clang-22")
CLANGXX = os.environ.get("LAZYCC_BENCH_CLANGXX", "clang++-22")


def find_tool(name: str) -> str | None:
    """`name` on PATH, else next to this Python (a venv's bin/ need not be on PATH)."""
    p = shutil.which(name)
    if p:
        return p
    cand = os.path.join(os.path.dirname(sys.executable), name)
    return cand if os.access(cand, os.X_OK) else None


def lazycc_exe() -> str | None:
    return os.environ.get("LAZYCC_BENCH_LAZYCC") or find_tool("lazycc")


def policies(lazycc: str | None = None) -> list[str]:
    """Policy names this lazycc accepts, from its `--help` text ("...: all | heuristic | ...")."""
    lazycc = lazycc or lazycc_exe()
    if not lazycc:
        return []
    try:
        r = subprocess.run([lazycc, "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return []
    for line in r.stdout.splitlines():
        if line.strip().startswith("LAZYCC_POLICY"):
            tail = line.split(":", 1)[1] if ":" in line else line
            return [w for w in re.findall(r"[A-Za-z][\w-]*", tail.split("(")[0])
                    if w not in ("which", "sites", "to", "defer")]
    return []


def policy_accepted(policy: str, lazycc: str | None = None) -> tuple[bool, str]:
    """Does `LAZYCC_POLICY=policy lazycc --show-config` accept it?  (ok, message)."""
    lazycc = lazycc or lazycc_exe()
    if not lazycc:
        return False, "lazycc not found on PATH"
    env = dict(os.environ, LAZYCC_POLICY=policy)
    try:
        r = subprocess.run([lazycc, "--show-config"], capture_output=True, text=True, env=env,
                           timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    text = r.stdout + r.stderr
    if r.returncode != 0 or "lazycc: error" in text:
        return False, (r.stderr.strip() or r.stdout.strip()).splitlines()[-1] if text.strip() else \
            f"exit {r.returncode}"
    return True, ""


@dataclass(frozen=True)
class Availability:
    available: list[str]
    skipped: dict[str, str]  # config -> why


def resolve(configs: list[str]) -> Availability:
    """Split requested configurations into available ones and skipped ones (with a reason)."""
    lz = lazycc_exe()
    known = policies(lz)
    avail, skipped = [], {}
    for c in configs:
        if c == BASELINE:
            if shutil.which(CLANG):
                avail.append(c)
            else:
                skipped[c] = f"{CLANG} not found on PATH"
            continue
        if not lz:
            skipped[c] = "lazycc not found (PATH or next to this Python)"
            continue
        if c not in known:
            skipped[c] = (f"lazycc has no policy '{c}' (its policies: {', '.join(known) or '?'}); "
                          "it will run once lazycc offers it")
            continue
        ok, why = policy_accepted(c, lz)
        if not ok:
            skipped[c] = f"lazycc rejects policy '{c}': {why}"
            continue
        avail.append(c)
    return Availability(avail, skipped)


def write_wrapper(path: str, config: str, env: dict[str, str]) -> str:
    """Write an executable `cc` script at `path` that exports `env` and execs the compiler of
    `config` (clang-22 for the baseline, lazycc otherwise).  CMake gets this script as
    CMAKE_C_COMPILER, so every compile of the build — including CMake's probes — goes through it.
    """
    os.makedirs(os.path.dirname(path), exist_ok=True)
    target = shutil.which(CLANG) or CLANG if config == BASELINE else lazycc_exe()
    lines = ["#!/bin/sh", f"# lazycc-bench compiler wrapper for configuration '{config}'"]
    for k in sorted(env):
        lines.append(f"export {k}={shlex.quote(env[k])}")
    lines.append(f"exec {shlex.quote(target)} \"$@\"")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(tmp, os.stat(tmp).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, path)
    return path


def config_env(config: str, out: str, *, cache_name: str | None = None,
               record_name: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment of a configuration's wrapper: policy, its own cache dir (so configurations
    never share cache entries or a compile server) and its own record dir."""
    if config == BASELINE:
        return dict(extra or {})
    env = {
        "LAZYCC_POLICY": config,
        "LAZYCC_DIR": os.path.join(out, "cache", cache_name or config),
        "LAZYCC_RECORD": os.path.join(out, "records", record_name or config),
    }
    env.update(extra or {})
    return env


def stop_server(env: dict[str, str]) -> None:
    """Stop the compile server of a configuration's LAZYCC_DIR (it would idle on otherwise)."""
    lz = lazycc_exe()
    if not lz or "LAZYCC_DIR" not in env:
        return
    try:
        subprocess.run([lz, "--stop-server"], env=dict(os.environ, **env), capture_output=True,
                       timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        pass
