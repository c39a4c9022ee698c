"""Quick checks of the harness's plumbing: suite validation, configuration availability (asked of
lazycc, here a fake one), wrapper scripts."""
import os
import stat
import subprocess

from lazycc.bench import cli, configs

FAKE = """#!/bin/sh
if [ "$1" = "--help" ]; then
  echo "  LAZYCC_POLICY                which sites to defer: all | heuristic | none"
  exit 0
fi
if [ "$1" = "--show-config" ]; then
  case "$LAZYCC_POLICY" in
    all|heuristic|none) echo "(env) policy = $LAZYCC_POLICY";;
    *) echo "lazycc: error: policy '$LAZYCC_POLICY': expected one of all, heuristic, none" >&2;;
  esac
  exit 0
fi
echo "$LAZYCC_POLICY $*"
"""


def _fake(tmp_path, monkeypatch):
    p = tmp_path / "lazycc"
    p.write_text(FAKE)
    p.chmod(p.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("LAZYCC_BENCH_LAZYCC", str(p))
    return p


def test_not_a_suite(tmp_path, capsys):
    rc = cli.main(["test-suite", "--suite", str(tmp_path), "--subdirs", "SingleSource",
                   "--configs", "clang", "--runs", "1", "--out", str(tmp_path / "o")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "is not an llvm-test-suite checkout" in err and "no lit.cfg" in err


def test_availability_from_lazycc(tmp_path, monkeypatch):
    _fake(tmp_path, monkeypatch)
    assert configs.policies() == ["all", "heuristic", "none"]
    av = configs.resolve(["clang", "heuristic", "profile", "model"])
    assert av.available[1:] == ["heuristic"]
    assert set(av.skipped) >= {"profile", "model"}
    assert "no policy 'model'" in av.skipped["model"]


def test_wrapper_sets_env_and_execs(tmp_path, monkeypatch):
    _fake(tmp_path, monkeypatch)
    env = configs.config_env("heuristic", str(tmp_path / "out"))
    assert env["LAZYCC_DIR"].endswith("cache/heuristic")
    assert env["LAZYCC_RECORD"].endswith("records/heuristic")
    w = configs.write_wrapper(str(tmp_path / "bin" / "heuristic" / "cc"), "heuristic", env)
    out = subprocess.run([w, "-c", "x y.c"], capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if k != "LAZYCC_POLICY"})
    assert out.stdout.strip() == "heuristic -c x y.c"
    assert configs.config_env("clang", str(tmp_path)) == {}
