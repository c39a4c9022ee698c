"""Where settings come from, import-light: the environment and $LAZYCC_DIR/lazycc.conf.

`config.py` builds the typed `Config` from these; the resident server's client
(`driver/client.py`, run before anything else on every invocation) reads the few
settings it needs through the same functions, so both agree on every value and
neither pays for `dataclasses`/`inspect` on the warm path. Only `os` is imported.

Rules (ccache's): environment (LAZYCC_<KEY>) > config file (`key = value` lines,
`#` comments) > default. The config file lives in the cache directory only: a
file inside a source tree can never redirect the cache. A boolean environment
variable that is set means true ("" too); setting it to "0"/"false" is an error
(unset it instead).
"""
from __future__ import annotations

import os

CONFIG_FILE_NAME = "lazycc.conf"
ENV_PREFIX = "LAZYCC_"


class ConfigError(ValueError):
    """A setting has a value lazycc refuses; the message says how to fix it."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_name(key: str) -> str:
    return ENV_PREFIX + key.upper()


def parse_bool(name: str, raw: str, from_env: bool) -> bool:
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


def default_dir(env=None) -> str:
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lazycc")


def cache_dir(env=None) -> tuple[str, bool]:
    """(the cache directory, whether LAZYCC_DIR set it); LAZYCC_DIR alone decides it."""
    env = os.environ if env is None else env
    d = env.get("LAZYCC_DIR")
    return os.path.expanduser(d or default_dir(env)), bool(d)


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


def raw_setting(key: str, env, from_file: dict[str, str] | None = None) -> tuple[str, bool] | None:
    """The raw text of one setting and whether it came from the environment; None: unset.
    `from_file` is the parsed config file (read here when not given)."""
    name = env_name(key)
    if name in env:
        return env[name], True
    if from_file is None:
        from_file = read_config_file(os.path.join(cache_dir(env)[0], CONFIG_FILE_NAME))
    if key in from_file:
        return from_file[key], False
    return None


def bool_setting(key: str, env=None, default: bool = False) -> bool:
    """A boolean setting by the same rules as `config.load`; an invalid value (which the
    full load reports as a ConfigError) reads as `default` here."""
    env = os.environ if env is None else env
    try:
        raw = raw_setting(key, env)
        return default if raw is None else parse_bool(env_name(key) if raw[1] else key, *raw)
    except (ConfigError, OSError, UnicodeDecodeError):
        return default
