"""Benchmark (not a test): what a shared cache saves, on real loopback servers, in one run.

1. Compile latency of one C file (`-O2 -c`, a verified rewrite in it) as
   - a miss (fresh cache dir, no remote: proposer + rewriter + validator),
   - a local hit (direct mode: no clang run) and a local rewrite-cache hit (direct results dropped),
   - a remote hit through nginx (HTTP) and through Redis: fresh local cache dir, entry on the server,
     re-validated (the default) and signed by a trusted key (no re-validation).
2. zlib (`make`, static library and tests) built cold by one machine (`CC=lazycc`, `make -j2`) vs a
   two-node distcc farm on loopback (`CC="distcc lazycc"`, `make -j4`, one nginx remote), then the
   farm again with fresh node caches and the remote warm.

On one 2-core box the "farm" adds no cores: it shows the overhead of distcc plus lazycc nodes and
what a warm shared cache saves, not a speed-up from more machines.

    nice -n 15 .venv/bin/python integration/bench_remote.py [--runs 5] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "remote"))
sys.path.insert(0, str(REPO / "tests" / "e2e"))

import servers  # noqa: E402
from projects import PICK_PROGRAM  # noqa: E402

# two callers, two deferred arguments: under `all` the proposer/validator loop needs several rounds
MULTI_PROGRAM = r'''
#include <stdio.h>
static long costly(long n) { long s = 0; for (long i = 0; i < n; i++) s += i * i % 7; return s; }
static double heavy(double x) { double s = 0; for (int i = 0; i < 100; i++) s += x / (i + 1); return s; }
long pick(long flag, long v) { return flag == 3 ? v : flag; }
double choose(int c, double a, double b) { return c ? a : b + 1.0; }
long f(long k) { long t = 0; for (long i = 0; i < k; i++) t += pick(i % 50, costly(i)); return t; }
double g(int k) { double t = 0; for (int i = 0; i < k; i++) t += choose(i % 3 == 0, heavy(i), (double)i); return t; }
int main(void) { printf("%ld %f\n", f(200), g(300)); return 0; }
'''
PROGRAMS = {"pick.c": ("heuristic", PICK_PROGRAM), "multi.c": ("all", MULTI_PROGRAM)}

BIN = Path(sys.executable).parent
LAZYCC = str(BIN / "lazycc")


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAZYCC_", "DISTCC_"))}
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["LAZYCC_NOSERVER"] = "1"
    return env


def latencies(tmp: Path, runs: int, nginx, redis_server, keys: tuple[Path, Path], source: str,
              policy: str) -> dict[str, list[float]]:
    work = tmp / "work"
    work.mkdir(parents=True)
    (work / source).write_text(PROGRAMS[source][1])
    out: dict[str, list[float]] = {}
    n = 0

    def compile_once(work: Path, env: dict) -> float:
        t = time.perf_counter()
        subprocess.run([LAZYCC, "-O2", "-c", source, "-o", "out.o"], cwd=work, env=env, check=True)
        return time.perf_counter() - t

    def fresh(**settings) -> dict:
        nonlocal n
        n += 1
        env = base_env()
        env["LAZYCC_DIR"] = str(tmp / f"cache{n}")
        env["LAZYCC_POLICY"] = policy
        env.update({f"LAZYCC_{k.upper()}": v for k, v in settings.items()})
        return env

    out["miss"] = [compile_once(work, fresh()) for _ in range(runs)]
    env = fresh()
    compile_once(work, env)
    time.sleep(1.1)   # direct mode stores only results whose inputs are older than the compile
    os.utime(work / source, (time.time() - 5, time.time() - 5))
    compile_once(work, env)
    out["local hit (direct mode)"] = [compile_once(work, env) for _ in range(runs)]
    out["local hit (rewrite cache)"] = []
    for _ in range(runs):
        shutil.rmtree(Path(env["LAZYCC_DIR"]) / "direct", ignore_errors=True)
        out["local hit (rewrite cache)"].append(compile_once(work, env))
    priv, pub = keys
    db = {"pick.c": 0, "multi.c": 2}[source]
    for kind, url in (("HTTP", nginx.extra["url"] + "/bench-" + source),
                      ("Redis", redis_server.extra["url"].rsplit("/", 1)[0] + f"/{db}")):
        compile_once(work, fresh(remote=url))                                   # populate
        out[f"remote hit, {kind}, re-validated"] = [compile_once(work, fresh(remote=url)) for _ in range(runs)]
        signed = url + "-signed" if kind == "HTTP" else url.rsplit("/", 1)[0] + f"/{db + 1}"   # its own namespace
        compile_once(work, fresh(remote=signed, remote_sign_key=str(priv)))
        out[f"remote hit, {kind}, signed"] = [
            compile_once(work, fresh(remote=signed, remote_trusted_keys=str(pub), remote_require_signature="1"))
            for _ in range(runs)]
    return out


def zlib_builds(tmp: Path, nginx) -> dict[str, float]:
    from projects import corpus_tree

    src = corpus_tree("zlib")
    res = {}

    def build(name: str, env: dict, jobs: str, cc: str) -> float:
        tree = tmp / name
        shutil.copytree(src, tree, symlinks=True)
        subprocess.run(["./configure", "--static"], cwd=tree, env=dict(env, CC="clang-22"), check=True,
                       capture_output=True)
        t = time.perf_counter()
        subprocess.run(["make", f"-j{jobs}", f"CC={cc}"], cwd=tree, env=env, check=True, capture_output=True)
        elapsed = time.perf_counter() - t
        check = subprocess.run(["make", "check", f"CC={cc}"], cwd=tree, env=env, check=True, capture_output=True,
                               text=True).stdout
        assert "*** zlib test OK ***" in check
        return elapsed

    one = dict(base_env(), LAZYCC_DIR=str(tmp / "one-cache"))
    res["one machine, make -j2, cold"] = build("zlib-one", one, "2", "lazycc")

    def farm(tag: str) -> float:
        nodes = []
        try:
            for i in (1, 2):
                d = tmp / f"{tag}-node{i}"
                env = dict(base_env(), LAZYCC_DIR=str(d / "cache"), LAZYCC_REMOTE=nginx.extra["url"] + "/zlib-farm")
                nodes.append(servers.start_distccd(d, env))
            (tmp / f"{tag}-distcc").mkdir()
            client = dict(base_env(), DISTCC_HOSTS=" ".join(n.extra["host"] for n in nodes), DISTCC_FALLBACK="0",
                          DISTCC_DIR=str(tmp / f"{tag}-distcc"), LAZYCC_DIR=str(tmp / f"{tag}-client"))
            return build(f"zlib-{tag}", client, "4", "distcc lazycc")
        finally:
            for n in nodes:
                n.stop()

    res["2-node distcc farm, make -j4, cold"] = farm("farm-cold")
    res["2-node distcc farm, make -j4, fresh nodes, warm remote"] = farm("farm-warm")
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", help="also write the numbers here")
    ap.add_argument("--no-zlib", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lazycc-bench-remote-"))
    started = []
    try:
        nginx = servers.start_nginx(tmp / "nginx")
        started.append(nginx)
        redis_server = servers.start_redis(tmp / "redis")
        started.append(redis_server)
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.generate()
        priv, pub = tmp / "writer.pem", tmp / "trusted.pem"
        priv.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo))
        lat = {}
        for source, (policy, _) in PROGRAMS.items():
            lat[source] = latencies(tmp / f"lat-{source}", args.runs, nginx, redis_server, (priv, pub), source, policy)
            print(f"compile latency of {source} (-O2, policy {policy}), median of {args.runs} (min..max), "
                  "LAZYCC_NOSERVER=1:")
            for name, xs in lat[source].items():
                print(f"  {name:<38} {statistics.median(xs) * 1000:8.0f} ms   "
                      f"({min(xs) * 1000:.0f}..{max(xs) * 1000:.0f})")
        farm = {} if args.no_zlib else zlib_builds(tmp / "zlib", nginx)
        if farm:
            print("zlib (static library + tests), build time of `make` (then `make check` passes):")
            for name, s in farm.items():
                print(f"  {name:<55} {s:7.1f} s")
        if args.json:
            Path(args.json).write_text(json.dumps({"latency_s": lat, "zlib_s": farm}, indent=2))
    finally:
        for s in started:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
