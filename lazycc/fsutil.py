"""Small file-system helpers for the compile hot path.

`shutil` and `tempfile` pull in bz2/lzma/fnmatch/re at import time, a visible
share of a warm compile that otherwise takes a few file reads; these are the
few operations lazycc needs from them.
"""
from __future__ import annotations

import os

_TRIES = 100


def _rand() -> str:
    return os.urandom(6).hex()


def which(name: str, path: str | None = None) -> str | None:
    """Like shutil.which for executables: the first match on PATH, or None."""
    if os.sep in name:
        return name if os.access(name, os.X_OK) and not os.path.isdir(name) else None
    for d in (path if path is not None else os.environ.get("PATH", "")).split(os.pathsep):
        cand = os.path.join(d or ".", name)
        if os.access(cand, os.X_OK) and not os.path.isdir(cand):
            return cand
    return None


def make_temp_dir(prefix: str) -> str:
    base = os.environ.get("TMPDIR") or "/tmp"
    for _ in range(_TRIES):
        path = os.path.join(base, f"{prefix}{_rand()}")
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary directory name under {base}")


def remove_tree(path: str) -> None:
    """Best-effort recursive removal (our own temp dirs: files and subdirectories only)."""
    try:
        for root, dirs, files in os.walk(path, topdown=False):
            for f in files:
                os.unlink(os.path.join(root, f))
            for d in dirs:
                os.rmdir(os.path.join(root, d))
        os.rmdir(path)
    except OSError:
        pass


def atomic_write(path: str, data: bytes, mode: int | None = 0o666) -> None:
    """Write via a temp file in the same directory + rename: readers never see half a file.

    `mode` is applied minus the umask, as for a file the user's compiler would create.
    """
    directory = os.path.dirname(os.path.abspath(path))
    for _ in range(_TRIES):
        tmp = os.path.join(directory, f".tmp-{os.getpid()}-{_rand()}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode if mode is not None else 0o600)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name in {directory}")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
