"""Rewriter tests as .ll files with RUN/CHECK lines (lit + filecheck)."""
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.join(os.path.dirname(__file__), "lit")


def test_lit_suite():
    bindir = os.path.dirname(sys.executable)
    lit = shutil.which("lit", path=bindir) or shutil.which("lit")
    if not lit or not (shutil.which("filecheck", path=bindir) or shutil.which("filecheck")):
        pytest.skip("lit/filecheck not installed")
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    p = subprocess.run([lit, "-v", HERE], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
