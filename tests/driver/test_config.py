"""Settings: the typed `Config` is the one source (metadata, precedence, messages), the README
table is generated from it, the server client reads settings by the same rules, and no stage
reads LAZYCC_* from the environment."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lazycc import config, config_source
from lazycc.config import Config, ConfigError, load

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_field_carries_its_metadata():
    assert config.SETTINGS, "no settings"
    for f in config.SETTINGS:
        assert f.metadata["help"] and f.metadata["kind"] in config.KINDS, f.name
    names = [f.name for f in dataclasses.fields(Config)]
    assert [f.name for f in config.SETTINGS] == [n for n in names if n != "origins"]
    assert config.BY_KEY["policy"].metadata["choices"] == config.POLICIES
    assert config.BY_KEY["lazify_stage"].metadata["choices"] == config.STAGES
    with pytest.raises(dataclasses.FrozenInstanceError):
        load({"LAZYCC_DIR": "/nonexistent"}).policy = "all"


def test_precedence_env_over_file_over_default(tmp_path):
    (tmp_path / "lazycc.conf").write_text("# c\npolicy = all\nunroll = 7\nmax_size = 1M\n")
    cfg = load({"LAZYCC_DIR": str(tmp_path), "LAZYCC_UNROLL": "9"})
    assert (cfg.policy, cfg.origins["policy"]) == ("all", "config file")
    assert (cfg.unroll, cfg.origins["unroll"]) == (9, "environment")
    assert (cfg.timeout, cfg.origins["timeout"]) == (120.0, "default")
    assert cfg.max_size == 10**6 and cfg.dir == str(tmp_path)
    assert isinstance(cfg.unroll, int) and isinstance(cfg.timeout, float)


def test_profile_use_implies_profile_policy(tmp_path):
    cfg = load({"LAZYCC_DIR": str(tmp_path), "LAZYCC_PROFILE_USE": "/x.prof"})
    assert (cfg.policy, cfg.origins["policy"]) == ("profile", "environment")


@pytest.mark.parametrize("env, conf, message", [
    ({"LAZYCC_NOCACHE": "0"}, "", "LAZYCC_NOCACHE='0': a set boolean variable means true; "
                                  "unset LAZYCC_NOCACHE instead of setting it to '0'"),
    ({"LAZYCC_UNROLL": "x"}, "", "LAZYCC_UNROLL='x': expected int"),
    ({}, "nocache = maybe\n", "nocache='maybe': expected one of"),
    ({"LAZYCC_POLICY": "lazy"}, "", "policy 'lazy': expected one of all, heuristic, profile, none"),
    ({"LAZYCC_LAZIFY_STAGE": "x"}, "", "lazify_stage 'x': expected one of auto, raw, early, post-inline"),
    ({}, "bogus = 1\n", "unknown key 'bogus'"),
    ({}, "dir = /x\n", "unknown key 'dir' (the cache dir is set by LAZYCC_DIR only)"),
    ({}, "no equals sign\n", ":1: expected `key = value`"),
    ({"LAZYCC_MAX_SIZE": "G"}, "", "bad size 'G': use e.g. 500M, 2G, 1Gi"),
    ({"LAZYCC_MAX_SIZE": "2Q"}, "", "LAZYCC_MAX_SIZE='2Q': expected size"),
])
def test_error_messages(tmp_path, env, conf, message):
    (tmp_path / "lazycc.conf").write_text(conf)
    with pytest.raises(ConfigError) as exc:
        load({"LAZYCC_DIR": str(tmp_path), **env})
    assert message in str(exc.value)


@pytest.mark.parametrize("env, conf, expected", [
    ({}, "", False),
    ({"LAZYCC_NOSERVER": "1"}, "", True),
    ({"LAZYCC_NOSERVER": ""}, "", True),
    ({"LAZYCC_NOSERVER": "0"}, "", False),        # config.load: an error, so not "true"
    ({}, "noserver = yes\n", True),
    ({}, "noserver = 0\n", False),
    ({"LAZYCC_NOSERVER": "1"}, "noserver = false\n", True),
])
def test_server_client_agrees_with_config(tmp_path, env, conf, expected):
    from lazycc.driver import client

    (tmp_path / "lazycc.conf").write_text(conf)
    env = {"LAZYCC_DIR": str(tmp_path), **env}
    assert client.disabled(env) is expected
    try:
        assert load(env).noserver is expected
    except ConfigError:
        assert expected is False


def test_client_is_import_light_and_cli_does_not_import_the_server():
    code = ("import sys; import lazycc.cli, lazycc.driver.client; "
            "print(sorted(m for m in ('dataclasses', 'socket', 'json', 'lazycc.driver.server', "
            "'lazycc.config') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == "[]"


def test_readme_settings_table_is_generated():
    text = (ROOT / "README.md").read_text()
    m = re.search(r"<!-- settings:begin[^>]*-->\n(.*?)\n<!-- settings:end -->", text, re.S)
    assert m, "README.md lacks the generated settings table markers"
    assert m.group(1) == config.markdown_table(), \
        "README settings table drifted: regenerate with `lazycc --show-config --markdown`"


def test_help_lists_every_setting():
    from lazycc.cli import HELP, _settings_help

    text = HELP.format(settings=_settings_help())
    for f in config.SETTINGS:
        assert config_source.env_name(f.name) in text


def test_no_stage_reads_lazycc_settings_from_the_environment():
    """Only config/config_source, the driver and the command-line entry points read LAZYCC_*."""
    allowed = {"lazycc/config.py", "lazycc/config_source.py", "lazycc/cli.py", "lazycc/rewriter/cli.py",
               "lazycc/driver/deadline.py"}  # LAZYCC_TEST_STALL: a test hook, not a setting
    pattern = re.compile(r"(os\.environ|getenv)[^\n]*LAZYCC_|setdefault\(\s*['\"]LAZYCC_")
    offenders = []
    for path in sorted((ROOT / "lazycc").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        # lazycc/bench, lazycc/ml: tools above the driver (they set LAZYCC_* for the compilers they
        # run; the benchmark harness has LAZYCC_BENCH_* of its own), not compile stages
        if rel in allowed or rel.startswith(("lazycc/validator/", "lazycc/bench/", "lazycc/ml/")):
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_only_ir_lowering_and_the_driver_exec_run_processes():
    """subprocess only in ir/ and lowering/ (LLVM tools), the CLI (exec of clang for
    pass-throughs, links, --version) and the server client (starting a server); the benchmark
    harness (lazycc/bench: cmake, ninja, lit, the programs it times) and the dataset builder
    (lazycc/ml: the corpus fetch, the libraries' own builds and workloads) are tools above the
    driver."""
    allowed = {"lazycc/cli.py", "lazycc/driver/client.py"}
    users = []
    for path in sorted((ROOT / "lazycc").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("lazycc/ir/", "lazycc/lowering/", "lazycc/bench/", "lazycc/ml/")) or rel in allowed:
            continue
        if re.search(r"^\s*(import subprocess|from subprocess import)", path.read_text(), re.M):
            users.append(rel)
    assert not users, users
