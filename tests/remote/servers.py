"""Real cache servers on loopback for the remote-cache tests (and integration/bench_remote.py).

nginx (WebDAV PUT, anonymous read, basic-auth write, as cache/nginx-lazycc.conf), redis-server
(LRU, as cache/redis-lazycc.conf) and distccd, each on a free port in a private directory. Missing
Debian packages are installed with apt-get when we are root (the test setup's job, like `make
system`); otherwise the tests skip. Every server runs under `timeout`, so it stops by itself even
if the test process dies; `stop()` ends it earlier (by its own pid, never by name).
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIFETIME_S = 3600          # a server left behind stops by itself after this
PACKAGES = {"nginx": "nginx-light", "redis-server": "redis-server", "distccd": "distcc"}
USER, PASSWORD = "builder", "s3cret"


def ensure(tool: str) -> str | None:
    """The tool's path, installing its Debian package when missing (root only)."""
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if os.path.exists(f"/usr/sbin/{tool}") else None)
    if path or os.geteuid() != 0 or not shutil.which("apt-get"):
        return path
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "-qq", PACKAGES[tool]]
    if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        subprocess.run(cmd, env=env, capture_output=True)
    return shutil.which(tool) or (f"/usr/sbin/{tool}" if os.path.exists(f"/usr/sbin/{tool}") else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited {proc.returncode}: {log.read_text()[-2000:] if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port}")


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    directory: Path
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        """End the server's own process group (it was started in a session of its own)."""
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue


def _start(cmd: list[str], port: int, directory: Path, log: Path, **extra) -> Server:
    proc = subprocess.Popen(["timeout", "--kill-after=10", str(LIFETIME_S), *cmd], stdout=open(log, "ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_port(port, proc, log)
    except Exception:
        proc.kill()
        raise
    return Server(proc, port, directory, extra)


NGINX_TEST_CONF = """\
daemon off;
master_process off;
worker_processes 1;
{user}
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {d}/root;
{location}
    }}
}}
"""


def site_location(htpasswd: str) -> str:
    """The `location` block of cache/nginx-lazycc.conf with the test's password file."""
    text = (REPO / "cache" / "nginx-lazycc.conf").read_text()
    start = text.index("    location /lazycc/")
    end = text.index("\n    }", start) + 6
    return text[start:end].replace("/etc/nginx/lazycc.htpasswd", htpasswd).replace("/var/cache/lazycc-remote", "")


def start_nginx(directory: Path) -> Server:
    """nginx serving /lazycc/ with the shipped site's rules: anonymous GET/HEAD, PUT with basic auth."""
    exe = ensure("nginx")
    if exe is None:
        raise FileNotFoundError("nginx")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "root" / "lazycc").mkdir(parents=True, exist_ok=True)
    (directory / "htpasswd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = free_port()
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_TEST_CONF.format(d=directory, port=port, user=user,
                                           location=site_location(str(directory / "htpasswd"))))
    return _start([exe, "-p", str(directory), "-c", str(conf)], port, directory, directory / "server.log",
                  url=f"http://{USER}:{PASSWORD}@127.0.0.1:{port}/lazycc",
                  read_url=f"http://127.0.0.1:{port}/lazycc")


def start_redis(directory: Path) -> Server:
    """redis-server with the shipped LRU config, on loopback, no persistence."""
    exe = ensure("redis-server")
    if exe is None:
        raise FileNotFoundError("redis-server")
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [exe, str(REPO / "cache" / "redis-lazycc.conf"), "--port", str(port), "--bind", "127.0.0.1",
           "--dir", str(directory), "--daemonize", "no", "--logfile", "", "--save", ""]
    return _start(cmd, port, directory, directory / "server.log", url=f"redis://127.0.0.1:{port}/0")


def start_distccd(directory: Path, env: dict) -> Server:
    """A distccd node on loopback running compilers with `env` (a lazycc node: its own LAZYCC_DIR).

    distccd refuses to keep root's uid and drops to its own user, who cannot reach a venv under
    /root; as root it runs in a user namespace instead (`unshare --user`: unprivileged inside,
    files still reached as their owner). `--enable-tcp-insecure` lets it run `lazycc`, which is not
    in distcc's compiler whitelist (loopback only)."""
    exe = ensure("distccd")
    if exe is None:
        raise FileNotFoundError("distccd")
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [exe, "--no-detach", "--daemon", "--port", str(port), "--listen", "127.0.0.1", "--allow", "127.0.0.1",
           "--jobs", "2", "--log-file", str(directory / "distccd.log"), "--log-level", "warning",
           "--enable-tcp-insecure"]
    if os.geteuid() == 0:
        if shutil.which("unshare") is None or subprocess.run(["unshare", "--user", "true"]).returncode != 0:
            raise FileNotFoundError("unshare --user (distccd will not run as root)")
        cmd = ["unshare", "--user", *cmd]
    proc_env = dict(env, TMPDIR=str(directory))
    log = directory / "server.log"
    proc = subprocess.Popen(["timeout", "--kill-after=10", str(LIFETIME_S), *cmd], env=proc_env,
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_port(port, proc, log)
    except Exception:
        proc.kill()
        raise
    return Server(proc, port, directory, {"host": f"127.0.0.1:{port}/2"})
