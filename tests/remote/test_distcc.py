"""A build farm: `make -j4` through two loopback distccd nodes that run lazycc and share one remote
cache (issue 14). `CC="distcc lazycc"`: the client preprocesses locally (lazycc passes `-E` through
to clang), each node compiles the `.i` on lazycc's rewrite path with its own cache directory (a
machine of its own) and the shared nginx remote. zlib must build and pass its own tests; a clean
rebuild through the farm must not run the pipeline anywhere (every decision is a local or a
re-validated remote hit, whichever node gets the file), and a verified rewrite made on one node
is a re-validated remote hit on the other."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import servers
from lazycc.cache import decode_payload
from lazycc.cache.share import Envelope

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from projects import PICK_PROGRAM, corpus_tree, sh  # noqa: E402

LAZYCC_BIN = str(Path(sys.executable).parent)


def _stats(node_dir: Path) -> dict:
    p = node_dir / "cache" / "stats.json"
    return json.loads(p.read_text()) if p.exists() else {}


def _sum(stats: list[dict], key: str) -> float:
    return sum(s.get(key, 0) for s in stats)


@pytest.mark.slow
def test_zlib_on_a_two_node_distcc_farm(nginx, tmp_path):
    if servers.ensure("distccd") is None or shutil.which("distcc") is None:
        pytest.skip("distcc not installed")
    tree = tmp_path / "zlib"
    shutil.copytree(corpus_tree("zlib"), tree, symlinks=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LAZYCC_", "DISTCC_"))}
    base["PATH"] = LAZYCC_BIN + os.pathsep + base.get("PATH", "")
    remote = nginx.extra["url"] + "/farm"
    nodes, dirs = [], []
    try:
        for name in ("node1", "node2"):
            d = tmp_path / name
            env = dict(base, LAZYCC_DIR=str(d / "cache"), LAZYCC_LOG=str(d / "lazycc.log"), LAZYCC_NOSERVER="1",
                       LAZYCC_REMOTE=remote)
            nodes.append(servers.start_distccd(d, env))
            dirs.append(d)
        client = dict(base, CC="distcc lazycc", DISTCC_HOSTS=" ".join(n.extra["host"] for n in nodes),
                      DISTCC_FALLBACK="0", DISTCC_DIR=str(tmp_path / "distcc"), DISTCC_SKIP_LOCAL_RETRY="1",
                      LAZYCC_DIR=str(tmp_path / "client"), LAZYCC_NOSERVER="1")
        (tmp_path / "distcc").mkdir()
        log = tmp_path / "build.log"
        sh(["./configure", "--static"], tree, dict(client, CC=os.environ.get("LAZYCC_CLANG", "clang-22")), log)
        sh(["make", "-j4", "CC=distcc lazycc"], tree, client, log)
        check = sh(["make", "check", "CC=distcc lazycc"], tree, client, log)
        assert "*** zlib test OK ***" in check, check[-3000:]
        cold = [_stats(d) for d in dirs]
        assert all(s.get("compilations", 0) > 0 for s in cold), cold   # both nodes worked
        assert _sum(cold, "fallbacks") == 0 and _sum(cold, "remote_errors") == 0
        # every decision (zlib under the default policy: all "unchanged") went to the shared remote
        shared = list((nginx.directory / "root" / "lazycc" / "farm").glob("??/*"))
        assert len(shared) > 0
        for f in shared:   # whole, well-formed entries
            decode_payload(Envelope.open(f.read_bytes()).payload)
        assert _stats(tmp_path / "client").get("compilations", 0) == 0   # the client only preprocessed

        sh(["make", "clean"], tree, client, log)
        sh(["make", "-j4", "CC=distcc lazycc"], tree, client, log)
        check = sh(["make", "check", "CC=distcc lazycc"], tree, client, log)
        assert "*** zlib test OK ***" in check
        warm = [_stats(d) for d in dirs]
        rebuilt = _sum(warm, "compilations") - _sum(cold, "compilations")
        assert rebuilt >= 15
        assert _sum(warm, "cache_misses") == _sum(cold, "cache_misses"), "the farm's clean rebuild ran a pipeline"
        assert _sum(warm, "remote_rejected") == 0
        # each rebuilt compile hits, or needs no decision at all (the pre-filter: no callable function)
        assert (_sum(warm, "cache_hits") - _sum(cold, "cache_hits")
                + _sum(warm, "skipped_no_callee") - _sum(cold, "skipped_no_callee")) == rebuilt

        # a verified rewrite made on node 1 is a (re-validated) remote hit on node 2
        work = tmp_path / "pick"
        work.mkdir()
        (work / "pick.c").write_text(PICK_PROGRAM)
        subprocess.run(["clang-22", "-O2", "pick.c", "-o", "plain"], cwd=work, check=True)
        want = subprocess.run([str(work / "plain")], capture_output=True, text=True, check=True).stdout
        before = [_stats(d) for d in dirs]
        for node in nodes:
            sh(["distcc", "lazycc", "-O2", "-c", "pick.c", "-o", "pick.o"], work,
               dict(client, DISTCC_HOSTS=node.extra["host"]), log)
            subprocess.run(["clang-22", "pick.o", "-o", "pick"], cwd=work, check=True)
            assert subprocess.run([str(work / "pick")], capture_output=True, text=True).stdout == want
        after = [_stats(d) for d in dirs]
        assert after[0]["modules_rewritten"] - before[0]["modules_rewritten"] == 1
        assert after[0]["cache_misses"] - before[0]["cache_misses"] == 1
        assert after[1]["modules_rewritten"] - before[1]["modules_rewritten"] == 1
        assert after[1]["remote_hits"] - before[1]["remote_hits"] == 1
        assert after[1]["cache_misses"] == before[1]["cache_misses"]
    finally:
        for n in nodes:
            n.stop()
