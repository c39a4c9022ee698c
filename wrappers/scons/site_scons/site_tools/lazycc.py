"""SCons tool: compile C through lazycc.

Why a tool: SCons ignores the shell's ``CC`` and runs builders with a clean
environment (``env['ENV']`` holds only a minimal PATH), so ``CC=lazycc scons``
does nothing and lazycc would not see ``LAZYCC_DIR``/``LAZYCC_POLICY``/... even
if it ran. This tool sets ``CC`` (``SHCC`` follows it) and copies lazycc's
settings and PATH into ``env['ENV']``.

Use it from a project:

    # SConstruct
    env = Environment(tools=["default", "lazycc"])

with this ``site_scons`` directory copied into the project, or without copying:

    scons --site-dir=/path/to/lazycc/wrappers/scons/site_scons

Construction variables read: ``LAZYCC`` (path of the lazycc executable; else
the ``LAZYCC_EXECUTABLE`` environment variable; else ``lazycc`` on the shell's
PATH, then on ``env['ENV']['PATH']``).
"""
from __future__ import annotations

import os
import shutil
import subprocess

# Environment variables that decide where lazycc's cache is when LAZYCC_DIR is
# unset ($XDG_CACHE_HOME/lazycc or ~/.cache/lazycc), plus the temp dir it works in.
_PASS_THROUGH = ("HOME", "XDG_CACHE_HOME", "TMPDIR")


def _find_lazycc(env) -> str | None:
    explicit = env.get("LAZYCC") or os.environ.get("LAZYCC_EXECUTABLE")
    if explicit:
        return str(env.subst(explicit)) if hasattr(env, "subst") else str(explicit)
    return shutil.which("lazycc") or env.WhereIs("lazycc")


def _clang_version(lazycc: str, environ: dict) -> str:
    """What `-dumpversion` says (SCons' gcc/clang tools set CCVERSION the same way)."""
    try:
        proc = subprocess.run([lazycc, "-dumpversion"], capture_output=True, text=True,
                              env=environ, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def generate(env) -> None:
    if "CCCOM" not in env:  # used alone (tools=["lazycc"]): give it the C builders
        env.Tool("cc")
    lazycc = _find_lazycc(env)
    if not lazycc:
        raise RuntimeError("lazycc SCons tool: `lazycc` not found; put it on PATH or set "
                           "env['LAZYCC'] / LAZYCC_EXECUTABLE")
    env["LAZYCC"] = lazycc
    env["CC"] = lazycc
    env["SHCC"] = "$CC"

    ENV = env.setdefault("ENV", {})
    # lazycc finds clang-22 (and anything LAZYCC_CLANG names) on PATH; put the
    # shell's PATH after the one SCons chose so both work.
    paths = [p for p in (os.path.dirname(lazycc), os.environ.get("PATH", ""), ENV.get("PATH", "")) if p]
    seen, merged = set(), []
    for p in os.pathsep.join(paths).split(os.pathsep):
        if p and p not in seen:
            seen.add(p)
            merged.append(p)
    ENV["PATH"] = os.pathsep.join(merged)
    for name, value in os.environ.items():
        if name.startswith("LAZYCC_") or name in _PASS_THROUGH:
            ENV.setdefault(name, value)

    version = _clang_version(lazycc, dict(ENV))
    if version:
        env["CCVERSION"] = version


def exists(env) -> str | None:
    return _find_lazycc(env)
