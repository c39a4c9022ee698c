"""Remote caches with real servers on loopback (issue 14).

Two cache directories stand for two machines. Through a real nginx (WebDAV PUT, basic-auth
writes) and a real Redis: the second machine's build does no proposing or proving of its own and
gets remote hits; a tampered entry is rejected and the program is still right; a server that is
down, slow or returns garbage never breaks a build and shows in the stats; a read-only client
never writes; concurrent writers leave only whole entries; signed setups accept signed and
reject unsigned entries; `--cache-export`/`--cache-import` re-validate.
"""
from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from lazycc.cache import decode_payload, encode_payload
from lazycc.cache.remote import RedisStorage, HttpStorage, parse_remotes
from lazycc.cache.share import Envelope

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from projects import PICK_PROGRAM  # noqa: E402

import servers  # noqa: E402

CLANG = os.environ.get("LAZYCC_CLANG", "clang-22")
LAZYCC = str(Path(sys.executable).with_name("lazycc"))

SECOND = r'''
#include <stdio.h>
static int expensive(int x) { int s = 0; for (int i = 0; i < x; i++) s += i * i % 11; return s; }
static int choose(int c, int v) { return c > 7 ? v : c; }
int main(int argc, char **argv) {
    int t = 0;
    for (int i = 0; i < 40; i++) t += choose(i % 9, expensive(i * 10 + argc));
    printf("%d\n", t);
    return 0;
}
'''
SOURCES = {"pick.c": PICK_PROGRAM, "second.c": SECOND}

pytestmark = pytest.mark.skipif(shutil.which(CLANG) is None, reason=f"{CLANG} not installed")


@dataclass
class Machine:
    """One 'machine': its own cache dir, log and work tree; the same sources."""

    root: Path
    env: dict

    @classmethod
    def make(cls, base: Path, name: str, **settings: str) -> "Machine":
        root = base / name
        (root / "work").mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LAZYCC_") or k == "LAZYCC_CLANG"}
        env.update(LAZYCC_DIR=str(root / "cache"), LAZYCC_LOG=str(root / "lazycc.log"), LAZYCC_NOSERVER="1")
        env.update({f"LAZYCC_{k.upper()}": v for k, v in settings.items()})
        for fname, text in SOURCES.items():
            (root / "work" / fname).write_text(text)
        return cls(root, env)

    def lazycc(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        p = subprocess.run([LAZYCC, *args], cwd=self.root / "work", env=self.env, capture_output=True,
                           text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"lazycc {args} exited {p.returncode}: {p.stderr}\n{self.log()[-3000:]}")
        return p

    def build(self, sources=tuple(SOURCES), timeout: float = 300) -> dict[str, str]:
        """Compile (-O2), link and run each program; returns its output by source."""
        out = {}
        for src in sources:
            obj = src.replace(".c", ".o")
            self.lazycc("-O2", "-c", src, "-o", obj, timeout=timeout)
            exe = self.root / "work" / src.replace(".c", "")
            subprocess.run([CLANG, str(self.root / "work" / obj), "-o", str(exe)], check=True)
            out[src] = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
        return out

    def stats(self) -> dict:
        return json.loads(self.lazycc("--show-stats", "--json").stdout)

    def log(self) -> str:
        p = self.root / "lazycc.log"
        return p.read_text() if p.exists() else ""

    def obj(self, src: str) -> bytes:
        return (self.root / "work" / src.replace(".c", ".o")).read_bytes()


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, str]:
    """What plain clang's programs print."""
    d = tmp_path_factory.mktemp("plain")
    out = {}
    for src, text in SOURCES.items():
        (d / src).write_text(text)
        subprocess.run([CLANG, "-O2", str(d / src), "-o", str(d / "a.out")], check=True)
        out[src] = subprocess.run([str(d / "a.out")], capture_output=True, text=True, check=True).stdout
    return out


def remote_urls(nginx, redis_server) -> dict[str, str]:
    return {"http": nginx.extra["url"], "redis": redis_server.extra["url"]}


def _fresh_url(kind: str, nginx, redis_server, tag: str) -> tuple[str, str]:
    """A writer URL and a read-only URL on a namespace of their own (a test's own entries)."""
    if kind == "http":
        return nginx.extra["url"] + "/" + tag, nginx.extra["read_url"] + "/" + tag + "|read-only"
    db = {"share": 1, "tamper": 2, "readonly": 3, "concurrent": 4, "signed": 5, "unsigned": 6}[tag]
    url = redis_server.extra["url"].rsplit("/", 1)[0] + f"/{db}"
    return url, url + "|read-only"


def server_entries(kind: str, url: str, nginx) -> dict[str, bytes]:
    """Every entry a remote holds (key -> stored blob)."""
    if kind == "http":
        from urllib.parse import urlsplit
        base = nginx.directory / "root" / urlsplit(url.split("|")[0]).path.lstrip("/")
        return {p.parent.name + p.name: p.read_bytes() for p in base.glob("??/*") if p.is_file()}
    import redis
    c = redis.Redis.from_url(url.split("|")[0])
    return {k.decode()[len("lazycc:"):]: c.get(k) for k in c.keys("lazycc:*")}


def put_entry(kind: str, url: str, nginx, key: str, blob: bytes) -> None:
    [spec] = parse_remotes(url)
    store = HttpStorage(spec) if kind == "http" else RedisStorage(spec)
    assert store.put(key, blob).outcome.value == "hit"
    store.close()


KINDS = ["http", "redis"]


@pytest.mark.parametrize("kind", KINDS)
def test_two_machines_share_verified_rewrites(kind, nginx, redis_server, tmp_path, expected):
    url, _ = _fresh_url(kind, nginx, redis_server, "share")
    a = Machine.make(tmp_path, "a", remote=url)
    assert a.build() == expected
    sa = a.stats()
    assert sa["modules_rewritten"] == 2 and sa["remote_misses"] == 2 and sa["remote_errors"] == 0
    assert len(server_entries(kind, url, nginx)) == 2   # both decisions went up

    b = Machine.make(tmp_path, "b", remote=url)
    assert b.build() == expected
    sb = b.stats()
    # no proposing or proving of its own: both decisions came from the remote (re-validated)
    assert sb["remote_hits"] == 2 and sb["cache_misses"] == 0, sb
    assert sb["time_propose_s"] == 0 and sb["verdicts_verified"] == 0 and sb["modules_rewritten"] == 2
    assert sb["remote_rejected"] == sb["remote_errors"] == sb["remote_timeouts"] == 0
    assert b.log().count("remote entry re-validated") == 2
    for src in SOURCES:
        assert a.obj(src) == b.obj(src)   # same input, same output
    # copied locally: a third build on b needs no remote at all
    b.env["LAZYCC_REMOTE"] = ""
    (b.root / "cache" / "direct").exists() and shutil.rmtree(b.root / "cache" / "direct")
    b.lazycc("--zero-stats")
    assert b.build() == expected
    sb = b.stats()
    assert sb["cache_hits"] == 2 and sb["cache_misses"] == 0 and sb["remote_hits"] == 0


def _tamper(blob: bytes, change) -> bytes:
    entry = decode_payload(Envelope.open(blob).payload)
    change(entry)
    return Envelope(encode_payload(entry)).seal()   # a well-formed frame: only re-validation can tell


def _wrong_ir(entry: dict) -> None:
    text = entry["ir"]
    for old, new in ((", 200\n", ", 201\n"), (", 40\n", ", 41\n")):
        if old in text:
            entry["ir"] = text.replace(old, new, 1)
            return
    raise AssertionError("no loop bound to tamper with")


def _hidden_change(entry: dict) -> None:
    _wrong_ir(entry)
    entry["changes"]["callers"] = [c for c in entry["changes"]["callers"] if c != "main"] or ["nothing"]


def _added_global(entry: dict) -> None:
    entry["ir"] += "\n@lz.injected = global i32 1\n"   # right code, plus a module-level change


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("tamper", [_wrong_ir, _hidden_change, _added_global],
                         ids=["wrong-ir", "hidden-change", "added-global"])
def test_tampered_entry_is_rejected(kind, tamper, nginx, redis_server, tmp_path, expected):
    url = _fresh_url(kind, nginx, redis_server, "tamper")[0] + ("-" + tamper.__name__ if kind == "http" else "")
    if kind == "redis":
        import redis
        redis.Redis.from_url(url).flushdb()
    a = Machine.make(tmp_path, "a", remote=url)
    assert a.build(["pick.c"]) == {"pick.c": expected["pick.c"]}
    [(key, blob)] = server_entries(kind, url, nginx).items()
    put_entry(kind, url, nginx, key, _tamper(blob, tamper))

    b = Machine.make(tmp_path, "b", remote=url)
    assert b.build(["pick.c"]) == {"pick.c": expected["pick.c"]}
    sb = b.stats()
    assert sb["remote_rejected"] == 1 and sb["remote_hits"] == 0, sb
    assert sb["cache_misses"] == 1 and sb["modules_rewritten"] == 1   # its own, proven rewrite
    assert "rejected: re-validation failed" in b.log()
    assert a.obj("pick.c") == b.obj("pick.c")


class _Garbage(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = os.urandom(300)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _silent_server() -> tuple[int, socket.socket, list]:
    """Accepts connections and never answers: a hung server."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    held: list = []

    def loop():
        while True:
            try:
                held.append(s.accept()[0])
            except OSError:
                return

    threading.Thread(target=loop, daemon=True).start()
    return s.getsockname()[1], s, held


@pytest.mark.parametrize("trouble", ["down", "slow", "garbage", "slow-redis", "down-redis"])
def test_broken_server_never_breaks_a_build(trouble, tmp_path, expected):
    closers = []
    if trouble.startswith("down"):
        port = servers.free_port()
    elif trouble.startswith("slow"):
        port, sock, held = _silent_server()
        closers.append(sock.close)
    else:
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        port = srv.server_address[1]
        closers.append(srv.shutdown)
    scheme = "redis" if trouble.endswith("redis") else "http"
    url = f"{scheme}://127.0.0.1:{port}/" + ("0" if scheme == "redis" else "lazycc") + "|data-timeout=300"
    try:
        m = Machine.make(tmp_path, "m", remote=url)
        t = time.monotonic()
        assert m.build() == expected
        elapsed = time.monotonic() - t
        st = m.stats()
        assert st["modules_rewritten"] == 2 and st["fallbacks"] == 0
        counter = "remote_timeouts" if trouble.startswith("slow") else "remote_errors"
        assert st[counter] >= 1, st
        assert st["remote_hits"] == 0
        assert elapsed < 120
    finally:
        for c in closers:
            c()


@pytest.mark.parametrize("kind", KINDS)
def test_read_only_client_never_writes(kind, nginx, redis_server, tmp_path, expected):
    url, read_only = _fresh_url(kind, nginx, redis_server, "readonly")
    if kind == "redis":
        import redis
        redis.Redis.from_url(url).flushdb()
    before = server_entries(kind, url, nginx)
    m = Machine.make(tmp_path, "m", remote=read_only)
    assert m.build() == expected
    st = m.stats()
    assert st["remote_misses"] == 2 and st["remote_errors"] == 0
    assert server_entries(kind, url, nginx) == before == {}
    if kind == "http":
        assert "PUT /lazycc/readonly" not in (nginx.directory / "access.log").read_text()
    # the shown configuration says so, and hides the password
    shown = m.lazycc("--show-config").stdout
    assert "read-only" in shown and servers.PASSWORD not in shown


@pytest.mark.parametrize("kind", KINDS)
def test_concurrent_writers_do_not_corrupt(kind, nginx, redis_server, tmp_path, expected):
    url, _ = _fresh_url(kind, nginx, redis_server, "concurrent")
    [spec] = parse_remotes(url)
    key = "cd" * 32
    blobs = [Envelope(encode_payload({"writer": i, "pad": "x" * (i * 50_000)})).seal() for i in range(4)]
    stop, bad = threading.Event(), []

    def write(i):
        s = HttpStorage(spec) if kind == "http" else RedisStorage(spec)
        while not stop.is_set():
            assert not s.put(key, blobs[i]).failed

    def read():
        s = HttpStorage(spec) if kind == "http" else RedisStorage(spec)
        for _ in range(150):
            a = s.get(key)
            if a.outcome.value == "hit" and a.value not in blobs:
                bad.append(len(a.value))

    writers = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for w in writers:
        w.start()
    read()
    stop.set()
    for w in writers:
        w.join()
    assert bad == []
    # two lazycc builds writing the same decisions at once
    ms = [Machine.make(tmp_path, f"w{i}", remote=url) for i in range(2)]
    procs = [subprocess.Popen([LAZYCC, "-O2", "-c", "pick.c", "-o", "pick.o"], cwd=m.root / "work", env=m.env)
             for m in ms]
    assert [p.wait(300) for p in procs] == [0, 0]
    for k, blob in server_entries(kind, url, nginx).items():
        if k != key:
            decode_payload(Envelope.open(blob).payload)   # whole, well-formed
    c = Machine.make(tmp_path, "reader", remote=url)
    assert c.build(["pick.c"]) == {"pick.c": expected["pick.c"]}
    assert c.stats()["remote_hits"] == 1


def _keypair(d: Path) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    priv, pub = d / "writer.pem", d / "trusted.pem"
    priv.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    return priv, pub


@pytest.mark.parametrize("kind", KINDS)
def test_signed_entries(kind, nginx, redis_server, tmp_path, expected):
    pytest.importorskip("cryptography")
    priv, pub = _keypair(tmp_path)
    signed_url, _ = _fresh_url(kind, nginx, redis_server, "signed")
    unsigned_url, _ = _fresh_url(kind, nginx, redis_server, "unsigned")
    if kind == "redis":
        import redis
        for u in (signed_url, unsigned_url):
            redis.Redis.from_url(u).flushdb()
    w = Machine.make(tmp_path, "writer", remote=signed_url, remote_sign_key=str(priv))
    assert w.build() == expected
    u = Machine.make(tmp_path, "unsigned", remote=unsigned_url)
    assert u.build() == expected

    trust = dict(remote_trusted_keys=str(pub), remote_require_signature="1")
    r = Machine.make(tmp_path, "reader", remote=signed_url, **trust)
    assert r.build() == expected
    st = r.stats()
    assert st["remote_hits"] == 2 and st["cache_misses"] == 0 and st["remote_rejected"] == 0, st
    assert "re-validated" not in r.log() and r.log().count("(signed)") == 2   # trusted: no proving at all

    r2 = Machine.make(tmp_path, "strict", remote=unsigned_url, **trust)
    assert r2.build() == expected
    st = r2.stats()
    assert st["remote_rejected"] == 2 and st["remote_hits"] == 0 and st["cache_misses"] == 2, st
    assert "not signed by a trusted key" in r2.log()

    # a signed entry moved to another key is not trusted: the signature covers the key
    entries = server_entries(kind, signed_url, nginx)
    (k1, b1), (k2, b2) = sorted(entries.items())
    put_entry(kind, signed_url, nginx, k1, b2)
    r3 = Machine.make(tmp_path, "moved", remote=signed_url, **trust)
    assert r3.build() == expected
    assert r3.stats()["remote_rejected"] == 1


def test_export_import_revalidates(tmp_path, expected):
    a = Machine.make(tmp_path, "a")
    assert a.build() == expected
    out = tmp_path / "decisions.jsonl"
    assert "Exported 2" in a.lazycc("--cache-export", str(out)).stdout
    b = Machine.make(tmp_path, "b")
    assert "Imported 2 rewrite decisions (0 rejected" in b.lazycc("--cache-import", str(out)).stdout
    assert b.build() == expected
    st = b.stats()
    assert st["cache_hits"] == 2 and st["cache_misses"] == 0

    # a tampered export: the rewrite is proven again and refused
    lines = out.read_text().splitlines()
    import base64
    row = json.loads(lines[1])
    entry = decode_payload(base64.b64decode(row["entry"]))
    _wrong_ir(entry)
    row["entry"] = base64.b64encode(encode_payload(entry)).decode()
    out.write_text("\n".join([lines[0], json.dumps(row)]) + "\n")
    c = Machine.make(tmp_path, "c")
    p = c.lazycc("--cache-import", str(out), check=False)
    assert p.returncode == 1 and "Imported 0 rewrite decisions (1 rejected" in p.stdout
    assert c.build() == expected
    assert c.stats()["cache_misses"] == 2


def test_writes_need_credentials(nginx, tmp_path, expected):
    """The shipped nginx site: anonymous reads, authenticated writes (401 otherwise: counted, the
    remote is disabled for the invocation, the build goes on)."""
    url = nginx.extra["read_url"] + "/anonymous"
    m = Machine.make(tmp_path, "m", remote=url)
    assert m.build() == expected
    st = m.stats()
    assert st["remote_errors"] == 2 and st["modules_rewritten"] == 2   # one refused PUT per invocation
    assert "PUT: HTTP 401" in m.log()
    assert not (nginx.directory / "root" / "lazycc" / "anonymous").exists()
