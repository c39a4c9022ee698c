"""Remote-cache building blocks without servers: specs, settings, entry records, envelopes and
signatures, key normalisation, `.i` classification."""
from __future__ import annotations

import pytest

from lazycc import config
from lazycc.cache import CorruptEntry, normalise_ir, sha256, with_source_filename
from lazycc.cache.entry import ChangesRecord, RewriteEntry
from lazycc.cache.remote import RemoteSpecError, parse_remotes
from lazycc.cache.share import Envelope
from lazycc.cache.storage import Outcome
from lazycc.driver.classify import PassThrough, classify


def test_remote_specs_and_redaction():
    a, b = parse_remotes("http://u:pw@h:8080/c|read-only|connect-timeout=50|data-timeout=700 "
                         "redis://h:6379/2|bearer-token=s3kr1t")
    assert (a.read_only, a.connect_timeout_ms, a.data_timeout_ms, a.scheme) == (True, 50, 700, "http")
    assert "pw" not in a.redacted() and ":***@" in a.redacted() and "read-only" in a.redacted()
    assert b.scheme == "redis" and "s3kr1t" not in b.redacted()
    for bad in ("ftp://h/x", "http://h/x|bogus", "http://h/x|connect-timeout=soon", "http:///nohost"):
        with pytest.raises(RemoteSpecError):
            parse_remotes(bad)


def test_remote_settings(tmp_path):
    env = {"LAZYCC_DIR": str(tmp_path), "LAZYCC_REMOTE": "http://u:secret@h/c|read-only"}
    cfg = config.load(env)
    shown = config.show_config(cfg)
    assert "(environment) remote = http://u:***@h/c|read-only" in shown and "secret" not in shown
    with pytest.raises(config.ConfigError):
        config.load({"LAZYCC_DIR": str(tmp_path), "LAZYCC_REMOTE": "gopher://h"})


def test_source_tree_cannot_redirect_the_cache(tmp_path, monkeypatch):
    tree = tmp_path / "src"
    tree.mkdir()
    (tree / "lazycc.conf").write_text("remote = http://evil.example/c\n")
    monkeypatch.chdir(tree)
    assert config.load({"LAZYCC_DIR": str(tmp_path / "cache")}).remote == ""


def _entry(**kw) -> RewriteEntry:
    text = normalise_ir("define i32 @main() {\n  ret i32 0\n}\n")
    base = dict(decision="rewritten", verdict="correct", ir="tgt", input_digest=sha256(text), input_ir=text,
                opt_level="2", changes=ChangesRecord(("s1",), ("main",), (("f.lazy.1", "f", (0,)),), ("main.force.1",),
                                                     "lz.t."),
                verdicts=(("main", "correct", "", 10, 2),))
    base.update(kw)
    return RewriteEntry(**base)


def test_entry_record_round_trip_and_rejects():
    e = _entry()
    d = e.to_dict()
    assert d["decision"] == "rewritten" and d["ir"] == "tgt" and d["accepted_sites"] == []   # old keys kept
    assert RewriteEntry.from_dict(d) == e and e.rewritten
    for bad in ({**d, "decision": "maybe"}, {**d, "input_ir": d["input_ir"] + " "},
                {**d, "changes": {"sites": 1}}, {**d, "verdicts": 5}):
        with pytest.raises(CorruptEntry):
            RewriteEntry.from_dict(bad)


def test_envelope_and_signatures(tmp_path):
    pytest.importorskip("cryptography")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from lazycc.cache.share import Signer, Verifier

    paths = []
    for name in ("w", "other"):
        k = Ed25519PrivateKey.generate()
        (tmp_path / f"{name}.pem").write_bytes(k.private_bytes(serialization.Encoding.PEM,
                                                               serialization.PrivateFormat.PKCS8,
                                                               serialization.NoEncryption()))
        (tmp_path / f"{name}.pub").write_bytes(k.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        paths.append((tmp_path / f"{name}.pem", tmp_path / f"{name}.pub"))
    signer = Signer(str(paths[0][0]))
    env = Envelope.open(signer.envelope("k1", b"payload").seal())
    assert env.payload == b"payload" and len(env.signature) == 64
    assert Verifier(str(paths[0][1])).trusted("k1", env)
    assert not Verifier(str(paths[0][1])).trusted("k2", env)           # moved to another key
    assert not Verifier(str(paths[1][1])).trusted("k1", env)           # someone else's key
    both = tmp_path / "both.pub"
    both.write_bytes(paths[1][1].read_bytes() + paths[0][1].read_bytes())
    assert Verifier(str(both)).trusted("k1", env)                      # several trusted keys
    forged = Envelope(b"other payload", env.signature, env.public_key)
    assert not Verifier(str(paths[0][1])).trusted("k1", Envelope.open(forged.seal()))
    assert Envelope.open(Envelope(b"x").seal()) == Envelope(b"x")
    for garbage in (b"", b"junk" * 20, Envelope(b"x").seal()[:-1]):
        with pytest.raises(CorruptEntry):
            Envelope.open(garbage)


def test_keys_ignore_source_filename():
    a = '; ModuleID = \'/a/x.c\'\nsource_filename = "/a/x.c"\ndefine void @f() {\n  ret void\n}\n'
    b = a.replace("/a/x.c", "/tmp/distccd_123.i")
    assert normalise_ir(a) == normalise_ir(b)
    assert with_source_filename(a, b) == b.replace("; ModuleID = '/tmp/distccd_123.i'", "; ModuleID = '/a/x.c'")


def test_preprocessed_c_takes_the_rewrite_path():
    assert not isinstance(classify(["-O2", "-c", "x.i", "-o", "x.o"]), PassThrough)
    assert not isinstance(classify(["-x", "cpp-output", "-c", "x.pp", "-o", "x.o"]), PassThrough)
    assert isinstance(classify(["-x", "c++", "-c", "x.i"]), PassThrough)


def test_outcome_values_are_cache_shaped():
    assert {o.value for o in Outcome} == {"hit", "miss", "error", "timeout"}


def test_http_backend_auth_layout_and_disabling():
    """Against a recording server: subdirs layout, bearer/basic auth headers, 404 = miss, any other
    status disables the remote for the invocation (no further requests)."""
    import base64
    import http.server
    import threading

    from lazycc.cache.remote import HttpStorage

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append((self.command, self.path, self.headers.get("Authorization")))
            code = 404 if "missing" not in self.path and self.path.endswith("0" * 62) else 500
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    try:
        [bearer] = parse_remotes(f"http://127.0.0.1:{port}/base/|bearer-token=tok")
        s = HttpStorage(bearer)
        assert s.get("ab" + "0" * 62).outcome is Outcome.MISS
        assert seen[-1] == ("GET", "/base/ab/" + "0" * 62, "Bearer tok")
        bad = s.get("cd" + "1" * 62)
        assert bad.outcome is Outcome.ERROR and "HTTP 500" in bad.detail
        n = len(seen)
        assert s.get("ab" + "0" * 62).outcome is Outcome.ERROR and len(seen) == n   # disabled: not asked
        [basic] = parse_remotes(f"http://us%3Aer:p%40ss@127.0.0.1:{port}/flat|layout=flat")
        HttpStorage(basic).get("ab" + "0" * 62)
        assert seen[-1] == ("GET", "/flat/ab" + "0" * 62, "Basic " + base64.b64encode(b"us:er:p@ss").decode())
    finally:
        srv.shutdown()
