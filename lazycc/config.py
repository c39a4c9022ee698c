"""Settings: the typed, frozen `Config`, one source of truth for every setting.

Each field carries its help, kind and choices in `field(metadata=...)` (peft's
style); env names (LAZYCC_<KEY>), config-file keys, `--help`, `--show-config` and
the README's settings table derive from it. The driver loads it once per
invocation and hands plain values to the stages: no stage reads LAZYCC_*.

Precedence: environment (LAZYCC_<NAME>) > config file ($LAZYCC_DIR/lazycc.conf,
`key = value` lines, `#` comments) > default. The config file lives in the cache
directory only: a file inside a source tree can never redirect the cache. The
raw reading is in the import-light `config_source` (shared with the server client).
"""
from __future__ import annotations

import os
from dataclasses import Field, dataclass, field, fields
from types import MappingProxyType
from typing import Any, Mapping


from lazycc.config_source import (CONFIG_FILE_NAME, ConfigError, cache_dir, default_dir,  # noqa: F401
                                   env_name, parse_bool, parse_size, read_config_file)

KINDS = ("str", "bool", "int", "float", "size", "path")
POLICIES = ("all", "heuristic", "profile", "none")
STAGES = ("auto", "raw", "early", "post-inline")
LTO_MODES = ("on", "off")


def setting(default: Any, help: str, kind: str = "str", choices: tuple[str, ...] = (),
            default_text: str | None = None) -> Any:
    """A settings field (peft's style): its help, kind, environment name and choices live in
    the field's metadata; `--help`, `--show-config` and the README table read them."""
    assert kind in KINDS, kind
    return field(default=default, metadata={"help": help, "kind": kind, "choices": tuple(choices),
                                            "default_text": default_text})


def _parse(f: Field, raw: str, from_env: bool) -> Any:
    name = env_name(f.name) if from_env else f.name
    kind = f.metadata["kind"]
    try:
        if kind == "bool":
            return parse_bool(name, raw, from_env)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "size":
            return parse_size(raw)
        if kind == "path":
            return os.path.expanduser(raw)
        return raw
    except ValueError as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{name}={raw!r}: expected {kind}") from exc


@dataclass(frozen=True)
class Config:
    """Every lazycc setting, typed. Field order is the order of `--help`, `--show-config` and
    the README table. Keys are never renamed: old config files must keep working."""

    dir: str = setting(None, "cache directory (stats, config file, rewrite and object cache)", "path",
                       default_text="~/.cache/lazycc")
    disable: bool = setting(False, "run clang untouched for every invocation", "bool")
    clang: str = setting("clang-22", "the real compiler lazycc drives")
    log: str = setting("", "append a line per decision to this file", "path")
    record: str = setting("", "append one JSON line per compiled module (decision, verdicts, tries, stage "
                          "times, IR structure) to DIR/records-<host>-<pid>.jsonl; lazycc-bench reads them", "path")
    policy: str = setting("heuristic", "which sites to defer: all | heuristic | profile | none",
                          choices=POLICIES)
    profile_use: str = setting("", "profile file read by the `profile` policy (implies policy=profile "
                               "unless a policy is set)", "path")
    profile_generate: str = setting("", "build instrumented objects whose programs append per-site "
                                    "use counts to this file (a directory means DIR/lazycc.prof); not validated, "
                                    "not cached", "path")
    lazify_stage: str = setting("auto", "where lazification runs: auto (the measured default per -O level) | "
                                "raw (clang's module before the -O pipeline) | early (after the -O level's "
                                "early simplification: SROA/mem2reg, early-cse, instcombine, simplifycfg; "
                                "before its inliner) | post-inline (after the inliner)", choices=STAGES)
    lto: str = setting("on", "whole-program mode: on | off. on: a full-LTO link (`-flto`) with bitcode objects "
                       "merges them, lazifies the merged module (callees in other files become candidates) and "
                       "links the verified rewrite instead; off: such links run untouched (README: Whole-program "
                       "mode)", choices=LTO_MODES)
    timeout: float = setting(120.0, "safety net, seconds: the rewrite pipeline of one file runs in a child "
                             "process killed at this deadline; the file then compiles as plain clang would and "
                             "nothing is cached (counted deadline_fallbacks). The budgets below decide outcomes, "
                             "never this.", "float")
    validate_timeout_ms: int = setting(10_000, "validator effort per SMT query, as z3 resource units worth "
                                       "this many ms on an idle reference machine (deterministic: the same "
                                       "verdict under any load)", "int")
    validate_budget_ms: int = setting(10_000, "validator effort per changed function (the symbolic execution's "
                                      "z3 work and its queries), same units (then: Timeout verdict, the "
                                      "function's sites are rejected)", "int")
    validate_module_ms: int = setting(30_000, "validator effort per file over all proposer rounds, same units "
                                      "(then: Timeout verdicts)", "int")
    validate_steps: int = setting(50_000, "instructions the validator may execute symbolically per changed "
                                  "function, over all paths (then: Timeout verdict)", "int")
    validate_memory_mb: int = setting(2048, "safety net: z3's memory cap in the pipeline's child process; past "
                                      "it the file compiles as plain clang would and nothing is cached (0: no cap)",
                                      "int")
    unroll: int = setting(4, "loop unroll bound of the validator", "int")
    max_iterations: int = setting(3, "proposer/validator rounds per module", "int")
    max_size: int = setting(parse_size("2G"), "cache size limit; least recently stored entries are evicted",
                            "size", default_text="2G")
    remote: str = setting("", "remote caches shared by machines, whitespace-separated, tried in order: "
                          "`http://[user:pw@]host/path` (WebDAV PUT) or `redis://host:port`, each with optional "
                          "`|read-only`, `|connect-timeout=MS`, `|data-timeout=MS`, `|bearer-token=T`; only "
                          "rewrite decisions travel, fetched ones are re-validated (README: Sharing across machines)")
    remote_sign_key: str = setting("", "Ed25519 private key (PEM) that signs the entries this machine writes to "
                                   "remotes", "path")
    remote_trusted_keys: str = setting("", "PEM file of Ed25519 public keys: remote entries signed by one of "
                                       "them are used without re-validation", "path")
    remote_require_signature: bool = setting(False, "reject remote entries not signed by a trusted key (instead "
                                             "of re-validating them)", "bool")
    nocache: bool = setting(False, "do not read or write the cache (stats still kept)", "bool")
    noserver: bool = setting(False, "run every invocation in its own process (no resident compile "
                             "server; see docs/architecture.md)", "bool")
    nofast: bool = setting(False, "do not serve direct-mode hits from the native client (every invocation "
                           "runs the Python driver; see docs/architecture.md)", "bool")
    server_idle: float = setting(300.0, "seconds the resident compile server waits for work before exiting",
                                 "float")
    # where each value came from: key -> "default" | "config file" | "environment" (not a setting)
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def config_file(self) -> str:
        return os.path.join(self.dir, CONFIG_FILE_NAME)


SETTINGS: tuple[Field, ...] = tuple(f for f in fields(Config) if "help" in f.metadata)
BY_KEY = {f.name: f for f in SETTINGS}


def load(environ: Mapping[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    values["dir"], from_env = cache_dir(env)
    origins["dir"] = "environment" if from_env else "default"
    path = os.path.join(values["dir"], CONFIG_FILE_NAME)
    from_file = read_config_file(path)
    for key in from_file:
        if key not in BY_KEY or key == "dir":
            raise ConfigError(f"{path}: unknown key {key!r}"
                              + (" (the cache dir is set by LAZYCC_DIR only)" if key == "dir" else ""))
    for f in SETTINGS:
        if f.name == "dir":
            continue
        if env_name(f.name) in env:
            values[f.name], origins[f.name] = _parse(f, env[env_name(f.name)], True), "environment"
        elif f.name in from_file:
            values[f.name], origins[f.name] = _parse(f, from_file[f.name], False), "config file"
        else:
            values[f.name], origins[f.name] = f.default, "default"
    if values["profile_use"] and origins["policy"] == "default":
        values["policy"], origins["policy"] = "profile", origins["profile_use"]
    for key in ("lazify_stage", "policy", "lto"):
        choices = BY_KEY[key].metadata["choices"]
        if values[key] not in choices:
            raise ConfigError(f"{key} {values[key]!r}: expected one of {', '.join(choices)}")
    try:
        if values["remote"]:
            remote_specs(values["remote"])
    except ValueError as exc:
        raise ConfigError(f"{env_name('remote')}: {exc}") from exc
    return Config(**values, origins=MappingProxyType(origins))


def remote_specs(text: str):
    """The parsed `remote` setting (tuple of cache.remote.RemoteSpec)."""
    from lazycc.cache.remote import parse_remotes  # import-light: no network modules at import

    return parse_remotes(text)


def help_lines() -> str:
    """The settings part of `lazycc --help`."""
    return "".join(f"  {env_name(f.name):<28} {f.metadata['help']}\n" for f in SETTINGS)


def _default_text(f: Field) -> str:
    if f.metadata["default_text"] is not None:
        return f.metadata["default_text"]
    if f.default in ("", None, False):
        return "unset"
    if isinstance(f.default, float) and f.default.is_integer():
        return str(int(f.default))
    return str(f.default)


def markdown_table() -> str:
    """The README's settings table (`lazycc --show-config --markdown`)."""
    lines = ["| variable | config key | default | meaning |", "|---|---|---|---|"]
    for f in SETTINGS:
        meaning = f.metadata["help"].replace("|", "\\|")   # a pipe would end the table cell
        if f.metadata["kind"] == "bool":
            meaning += f" (set means true; `{env_name(f.name)}=0` is an error: unset it)"
        key = "—" if f.name == "dir" else f"`{f.name}`"
        lines.append(f"| `{env_name(f.name)}` | {key} | `{_default_text(f)}` | {meaning} |")
    return "\n".join(lines)


def show_config(cfg: Config) -> str:
    lines = []
    for f in SETTINGS:
        v = getattr(cfg, f.name)
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif f.name == "remote" and v:
            v = " ".join(spec.redacted() for spec in remote_specs(v))
        lines.append(f"({cfg.origins[f.name]}) {f.name} = {v}")
    lines.append(f"(derived) validator budgets = {validator_bounds(cfg).key()} "
                 "(unroll, z3 units per query / function / file, steps per function, wall ms)")
    return "\n".join(lines)


def validator_bounds(cfg: Config):
    """The validator's deterministic budgets from the settings (millisecond settings mapped
    onto z3 resource units: versions.RLIMIT_PER_MS)."""
    from lazycc.validator import Bounds  # the dataclass only: z3 loads with the checks

    return Bounds.from_ms(cfg.unroll, cfg.validate_timeout_ms, cfg.validate_budget_ms,
                          cfg.validate_module_ms, cfg.validate_steps)
