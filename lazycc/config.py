"""Settings: one table from which env names, config-file keys and --show-config derive.

Precedence: environment (LAZYCC_<NAME>) > config file ($LAZYCC_DIR/lazycc.conf,
`key = value` lines, `#` comments) > default. The config file lives in the cache
directory only: a file inside a source tree can never redirect the cache.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


class ConfigError(ValueError):
    """A setting has a value lazycc refuses; the message says how to fix it."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse_bool(name: str, raw: str, from_env: bool) -> bool:
    value = raw.strip().lower()
    if value in _TRUE or (from_env and value == ""):
        return True
    if value in _FALSE:
        if from_env:
            # ccache's rule: an env var that is set means "on"; "0" almost always
            # means the user expected it to turn the setting off.
            raise ConfigError(f"{name}={raw!r}: a set boolean variable means true; "
                              f"unset {name} instead of setting it to {raw!r}")
        return False
    raise ConfigError(f"{name}={raw!r}: expected one of {sorted(_TRUE | _FALSE)}")


_SIZE_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12,
               "ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40}


def parse_size(raw: str) -> int:
    """'500M', '2G', '1Gi', '4096' -> bytes."""
    s = raw.strip().lower().removesuffix("b")
    num = s.rstrip("kmgti")
    unit = s[len(num):]
    if unit not in _SIZE_UNITS or not num:
        raise ConfigError(f"bad size {raw!r}: use e.g. 500M, 2G, 1Gi")
    return int(float(num) * _SIZE_UNITS[unit])


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str  # "str" | "bool" | "int" | "float" | "size" | "path"
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "LAZYCC_" + self.key.upper()

    def parse(self, raw: str, from_env: bool) -> Any:
        name = self.env if from_env else self.key
        try:
            if self.kind == "bool":
                return _parse_bool(name, raw, from_env)
            if self.kind == "int":
                return int(raw)
            if self.kind == "float":
                return float(raw)
            if self.kind == "size":
                return parse_size(raw)
            if self.kind == "path":
                return os.path.expanduser(raw)
            return raw
        except ValueError as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(f"{name}={raw!r}: expected {self.kind}") from exc


def default_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lazycc")


# One row per setting. Keys are never renamed: old config files must keep working.
SETTINGS: tuple[Setting, ...] = (
    Setting("dir", "path", None, "cache directory (stats, config file, rewrite and object cache)"),
    Setting("disable", "bool", False, "run clang untouched for every invocation"),
    Setting("clang", "str", "clang-22", "the real compiler lazycc drives"),
    Setting("log", "path", "", "append a line per decision to this file"),
    Setting("policy", "str", "heuristic", "which sites to defer: all | heuristic | profile | none"),
    Setting("profile_use", "path", "", "profile file read by the `profile` policy (implies policy=profile "
            "unless a policy is set)"),
    Setting("profile_generate", "path", "", "build instrumented objects whose programs append per-site "
            "use counts to this file (a directory means DIR/lazycc.prof); not validated, not cached"),
    Setting("lazify_stage", "str", "raw", "where lazification runs: raw (clang's module before the -O "
            "pipeline) | post-inline (after the -O level's inliner)"),
    Setting("timeout", "float", 120.0, "safety net, seconds: the rewrite pipeline of one file runs in a child "
            "process killed at this deadline; the file then compiles as plain clang would and nothing is "
            "cached (counted deadline_fallbacks). The budgets below decide outcomes, never this."),
    Setting("validate_timeout_ms", "int", 10_000, "validator effort per SMT query, as z3 resource units worth "
            "this many ms on an idle reference machine (deterministic: the same verdict under any load)"),
    Setting("validate_budget_ms", "int", 10_000, "validator effort per changed function (the symbolic execution's z3 work and its queries), same units "
            "(then: Timeout verdict, the function's sites are rejected)"),
    Setting("validate_module_ms", "int", 30_000, "validator effort per file over all proposer rounds, same units "
            "(then: Timeout verdicts)"),
    Setting("validate_steps", "int", 50_000, "instructions the validator may execute symbolically per changed "
            "function, over all paths (then: Timeout verdict)"),
    Setting("validate_memory_mb", "int", 2048, "safety net: z3's memory cap in the pipeline's child process; past it "
            "the file compiles as plain clang would and nothing is cached (0: no cap)"),
    Setting("unroll", "int", 4, "loop unroll bound of the validator"),
    Setting("max_iterations", "int", 3, "proposer/validator rounds per module"),
    Setting("max_size", "size", parse_size("2G"), "cache size limit; least recently stored entries are evicted"),
    Setting("nocache", "bool", False, "do not read or write the cache (stats still kept)"),
    Setting("noserver", "bool", False, "run every invocation in its own process (no resident compile "
            "server; see docs/architecture.md)"),
    Setting("server_idle", "float", 300.0, "seconds the resident compile server waits for work before exiting"),
)
BY_KEY = {s.key: s for s in SETTINGS}
CONFIG_FILE_NAME = "lazycc.conf"

POLICIES = ("all", "heuristic", "profile", "none")
STAGES = ("raw", "post-inline")


@dataclass(frozen=True)
class Config:
    values: dict
    origins: dict  # key -> "default" | "config file" | "environment"

    def __getattr__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError as exc:
            raise AttributeError(key) from exc

    @property
    def config_file(self) -> str:
        return os.path.join(self.values["dir"], CONFIG_FILE_NAME)


def read_config_file(path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                key, sep, value = line.partition("=")
                if not sep:
                    raise ConfigError(f"{path}:{lineno}: expected `key = value`")
                out[key.strip()] = value.strip()
    except FileNotFoundError:
        pass
    return out


def load(environ: dict | None = None) -> Config:
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    cache_dir = env.get("LAZYCC_DIR") or default_dir()
    values["dir"], origins["dir"] = os.path.expanduser(cache_dir), (
        "environment" if env.get("LAZYCC_DIR") else "default")
    from_file = read_config_file(os.path.join(values["dir"], CONFIG_FILE_NAME))
    for key in from_file:
        if key not in BY_KEY or key == "dir":
            raise ConfigError(f"{os.path.join(values['dir'], CONFIG_FILE_NAME)}: unknown key {key!r}"
                              + (" (the cache dir is set by LAZYCC_DIR only)" if key == "dir" else ""))
    for s in SETTINGS:
        if s.key == "dir":
            continue
        if s.env in env:
            values[s.key], origins[s.key] = s.parse(env[s.env], True), "environment"
        elif s.key in from_file:
            values[s.key], origins[s.key] = s.parse(from_file[s.key], False), "config file"
        else:
            values[s.key], origins[s.key] = s.default, "default"
    if values["profile_use"] and origins["policy"] == "default":
        values["policy"], origins["policy"] = "profile", origins["profile_use"]
    if values["lazify_stage"] not in STAGES:
        raise ConfigError(f"lazify_stage {values['lazify_stage']!r}: expected one of {', '.join(STAGES)}")
    if values["policy"] not in POLICIES:
        raise ConfigError(f"policy {values['policy']!r}: expected one of {', '.join(POLICIES)}")
    return Config(values=values, origins=origins)


def show_config(cfg: Config) -> str:
    lines = []
    for s in SETTINGS:
        v = cfg.values[s.key]
        if isinstance(v, bool):
            v = "true" if v else "false"
        lines.append(f"({cfg.origins[s.key]}) {s.key} = {v}")
    lines.append(f"(derived) validator budgets = {validator_bounds(cfg).key()} "
                 "(unroll, z3 units per query / function / file, steps per function, wall ms)")
    return "\n".join(lines)


def validator_bounds(cfg: Config):
    """The validator's deterministic budgets from the settings (millisecond settings mapped
    onto z3 resource units: versions.RLIMIT_PER_MS)."""
    from lazycc.validator import Bounds  # the dataclass only: z3 loads with the checks

    return Bounds.from_ms(cfg.unroll, cfg.validate_timeout_ms, cfg.validate_budget_ms,
                          cfg.validate_module_ms, cfg.validate_steps)
