"""Remote cache backends: plain HTTP (WebDAV-style PUT) and Redis, as ccache and sccache share.

`LAZYCC_REMOTE` holds one or more whitespace-separated specs in ccache's shape:

    URL[|read-only][|connect-timeout=MS][|data-timeout=MS][|bearer-token=TOKEN][|layout=subdirs|flat]

- `http://[user:password@]host[:port]/path`: GET/HEAD for reads, PUT for writes, keys as
  `path/ab/cdef...` (ccache's `subdirs` layout); user:password is basic auth, `bearer-token`
  an `Authorization: Bearer` header. 404 is a miss; any other status or a connection
  problem disables that remote for the rest of the invocation (counted; the build goes on).
- `redis://[[user]:password@]host[:port][/db]` (or `rediss://`): keys `lazycc:<digest>`.

Nothing here raises into the compile: every operation returns an `Answer`. Only rewrite
decisions travel (objects and direct-mode results stay local: they cannot be re-checked);
the caller frames, signs and re-validates them (`lazycc.cache.share`).
"""
from __future__ import annotations

import base64
import socket
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lazycc.cache.storage import HIT_PUT, MISS, Answer, Outcome

DEFAULT_CONNECT_MS = 500
DEFAULT_DATA_MS = 5_000
SCHEMES = ("http", "https", "redis", "rediss")
REDIS_PREFIX = "lazycc:"


class RemoteSpecError(ValueError):
    pass


@dataclass(frozen=True)
class RemoteSpec:
    """One remote from `LAZYCC_REMOTE` (parsed once by config; the backends take it as is)."""

    url: str
    read_only: bool = False
    connect_timeout_ms: int = DEFAULT_CONNECT_MS
    data_timeout_ms: int = DEFAULT_DATA_MS
    bearer_token: str = ""
    layout: str = "subdirs"

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    def redacted(self) -> str:
        """The spec as `--show-config` prints it: passwords and tokens hidden."""
        parts = urlsplit(self.url)
        url = self.url
        if parts.password:
            url = url.replace(f":{parts.password}@", ":***@", 1)
        attrs = ["read-only"] if self.read_only else []
        attrs += [f"connect-timeout={self.connect_timeout_ms}", f"data-timeout={self.data_timeout_ms}"]
        if self.bearer_token:
            attrs.append("bearer-token=***")
        if self.layout != "subdirs":
            attrs.append(f"layout={self.layout}")
        return "|".join([url, *attrs])


def parse_remotes(text: str) -> tuple[RemoteSpec, ...]:
    """Parse `LAZYCC_REMOTE`; raises RemoteSpecError with the offending part."""
    specs = []
    for item in text.split():
        url, *attrs = item.split("|")
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise RemoteSpecError(f"remote {url!r}: expected {' / '.join(s + '://host...' for s in SCHEMES)}")
        kw: dict = {}
        for attr in attrs:
            name, _, value = attr.partition("=")
            try:
                if name == "read-only" and not value:
                    kw["read_only"] = True
                elif name == "connect-timeout":
                    kw["connect_timeout_ms"] = int(value)
                elif name == "data-timeout":
                    kw["data_timeout_ms"] = int(value)
                elif name == "bearer-token" and value:
                    kw["bearer_token"] = value
                elif name == "layout" and value in ("subdirs", "flat"):
                    kw["layout"] = value
                else:
                    raise ValueError
            except ValueError:
                raise RemoteSpecError(f"remote {url!r}: bad attribute {attr!r} (read-only, connect-timeout=MS, "
                                      "data-timeout=MS, bearer-token=T, layout=subdirs|flat)") from None
        specs.append(RemoteSpec(url, **kw))
    return tuple(specs)


class _Disabling:
    """Shared by the backends: the first failure disables the remote for this invocation
    (ccache's rule): one dead server costs one timeout per build step, not one per lookup."""

    spec: RemoteSpec
    disabled: Answer | None = None

    @property
    def name(self) -> str:
        return self.spec.redacted()

    @property
    def read_only(self) -> bool:
        return self.spec.read_only

    def _fail(self, outcome: Outcome, detail: str) -> Answer:
        self.disabled = Answer(outcome, detail=f"{self.name}: {detail} (disabled for this invocation)")
        self.close()
        return self.disabled


class HttpStorage(_Disabling):
    """GET/HEAD/PUT against an HTTP server (nginx WebDAV, sccache-compatible servers)."""

    def __init__(self, spec: RemoteSpec):
        self.spec = spec
        parts = urlsplit(spec.url)
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._base = parts.path.rstrip("/")
        self._headers = {"User-Agent": "lazycc", "Connection": "keep-alive"}
        if parts.username is not None:
            cred = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(cred).decode()
        if spec.bearer_token:
            self._headers["Authorization"] = "Bearer " + spec.bearer_token
        self._conn = None

    def _path(self, key: str) -> str:
        return f"{self._base}/{key[:2]}/{key[2:]}" if self.spec.layout == "subdirs" else f"{self._base}/{key}"

    def _connection(self):
        import http.client  # only when a remote is configured and asked

        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = cls(self._host, self._port, timeout=self.spec.connect_timeout_ms / 1000)
            conn.connect()
            conn.sock.settimeout(self.spec.data_timeout_ms / 1000)
            self._conn = conn
        return self._conn

    def _request(self, method: str, key: str, body: bytes | None = None) -> tuple[int, bytes] | Answer:
        if self.disabled is not None:
            return self.disabled
        import http.client

        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/octet-stream"
        for attempt in (0, 1):  # a kept-alive connection the server closed: retry once on a new one
            try:
                conn = self._connection()
                conn.request(method, self._path(key), body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                return resp.status, data
            except (socket.timeout, TimeoutError) as exc:
                return self._fail(Outcome.TIMEOUT, f"{method} timed out ({exc})")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if attempt:
                    return self._fail(Outcome.ERROR, f"{method}: {exc!r}")
            except (OSError, http.client.HTTPException, ValueError) as exc:
                return self._fail(Outcome.ERROR, f"{method}: {exc!r}")
        return self._fail(Outcome.ERROR, f"{method}: no response")

    def get(self, key: str) -> Answer:
        r = self._request("GET", key)
        if isinstance(r, Answer):
            return r
        status, data = r
        if status == 200:
            return Answer(Outcome.HIT, data)
        if status == 404:
            return MISS
        return self._fail(Outcome.ERROR, f"GET: HTTP {status}")

    def exists(self, key: str) -> Answer:
        r = self._request("HEAD", key)
        if isinstance(r, Answer):
            return r
        if r[0] == 200:
            return HIT_PUT
        return MISS if r[0] == 404 else self._fail(Outcome.ERROR, f"HEAD: HTTP {r[0]}")

    def put(self, key: str, value: bytes) -> Answer:
        if self.read_only:
            return Answer(Outcome.ERROR, detail=f"{self.name}: read-only")
        r = self._request("PUT", key, value)
        if isinstance(r, Answer):
            return r
        return HIT_PUT if r[0] in (200, 201, 204) else self._fail(Outcome.ERROR, f"PUT: HTTP {r[0]}")

    def remove(self, key: str) -> Answer:
        if self.read_only:
            return Answer(Outcome.ERROR, detail=f"{self.name}: read-only")
        r = self._request("DELETE", key)
        if isinstance(r, Answer):
            return r
        return HIT_PUT if r[0] in (200, 204, 404) else self._fail(Outcome.ERROR, f"DELETE: HTTP {r[0]}")

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except OSError:
                pass
            self._conn = None


class RedisStorage(_Disabling):
    """GET/SET/DEL on a Redis server (redis-py); eviction is the server's (LRU config in cache/)."""

    def __init__(self, spec: RemoteSpec):
        self.spec = spec
        self._client = None

    def _redis(self):
        if self._client is None:
            import redis  # only when a redis remote is configured
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # one attempt (ccache's rule): a dead or hung server costs one timeout, then is disabled
            self._client = redis.Redis.from_url(
                self.spec.url, socket_connect_timeout=self.spec.connect_timeout_ms / 1000,
                socket_timeout=self.spec.data_timeout_ms / 1000, retry=Retry(NoBackoff(), 0))
        return self._client

    def _call(self, what: str, fn):
        if self.disabled is not None:
            return self.disabled
        try:
            import redis
        except ImportError as exc:
            return self._fail(Outcome.ERROR, f"redis-py not installed ({exc})")
        try:
            return fn(self._redis())
        except redis.exceptions.TimeoutError as exc:
            return self._fail(Outcome.TIMEOUT, f"{what} timed out ({exc})")
        except (redis.exceptions.RedisError, OSError, ValueError) as exc:
            return self._fail(Outcome.ERROR, f"{what}: {exc!r}")

    def get(self, key: str) -> Answer:
        r = self._call("GET", lambda c: c.get(REDIS_PREFIX + key))
        if isinstance(r, Answer):
            return r
        return MISS if r is None else Answer(Outcome.HIT, bytes(r))

    def put(self, key: str, value: bytes) -> Answer:
        if self.read_only:
            return Answer(Outcome.ERROR, detail=f"{self.name}: read-only")
        r = self._call("SET", lambda c: c.set(REDIS_PREFIX + key, value))
        return r if isinstance(r, Answer) else HIT_PUT

    def remove(self, key: str) -> Answer:
        if self.read_only:
            return Answer(Outcome.ERROR, detail=f"{self.name}: read-only")
        r = self._call("DEL", lambda c: c.delete(REDIS_PREFIX + key))
        return r if isinstance(r, Answer) else HIT_PUT

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            except Exception:  # noqa: BLE001
                pass
            self._client = None


def open_remote(spec: RemoteSpec) -> HttpStorage | RedisStorage:
    return HttpStorage(spec) if spec.scheme in ("http", "https") else RedisStorage(spec)
