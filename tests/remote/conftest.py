"""Loopback cache servers for the remote-cache tests: started once per module, stopped after it
(and by themselves after servers.LIFETIME_S if this process dies)."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import servers  # noqa: E402


def _server(start, tmp_path_factory, name):
    try:
        s = start(tmp_path_factory.mktemp(name))
    except (FileNotFoundError, RuntimeError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{name}: {exc}")
        pytest.skip(f"{name} unavailable: {exc}")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    yield from _server(servers.start_nginx, tmp_path_factory, "nginx")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    pytest.importorskip("redis")
    yield from _server(servers.start_redis, tmp_path_factory, "redis")
