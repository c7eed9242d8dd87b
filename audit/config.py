"""Configuration: `[tool.listing-audit]` in pyproject.toml, or a listing-audit.toml.

Where settings come from, strongest first:

1. command-line flags (a flag replaces the configured value of the same key; lists are not
   merged: `--ignore LA505` replaces the configured `ignore`);
2. the file given with `--config FILE` (then no other file is looked for);
3. the nearest configuration file, looking in the working directory and then in each parent
   directory in turn. In one directory `listing-audit.toml` wins over `pyproject.toml`, and a
   pyproject.toml without a `[tool.listing-audit]` table does not count, so the search goes
   on upwards. `--no-config` skips the search;
4. the defaults.

In pyproject.toml the keys live under `[tool.listing-audit]`; in listing-audit.toml at the top
level. Paths in a config file (`rule-dirs`, `waivers`, `baseline`) are relative to the file,
and `per-path-ignores` globs are matched against input paths relative to the file's directory.
Every key and value is checked when the file is read: an unknown key or a bad value stops the
run (exit 2) with the file and the key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import SEVERITIES, Finding
from .report import FORMATS
from .ruleset import Rule, did_you_mean, rule_matches
from .safe_load import LoadError, parse, read_text

CONFIG_NAME = "listing-audit.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON = ("error", "warning", "info", "never")

# Every top-level key, and what its value must be (checked by _KEY_CHECKS below).
KEYS = ("select", "ignore", "fail-on", "as-of", "rule-dirs", "include", "exclude", "format",
        "rules", "per-path-ignores", "waivers", "baseline", "fail-on-stale")


class ConfigError(Exception):
    """A configuration that cannot be used; str() names the file and the key."""


@dataclass
class Config:
    path: Path | None = None                      # the file read, None for defaults
    prefix: str = ""                               # "tool.listing-audit." in pyproject.toml
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str | None = None
    as_of: dt.date | None = None
    rule_dirs: list[Path] = field(default_factory=list)
    include: list[str] | None = None
    exclude: list[str] | None = None
    format: str | None = None
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    waivers: Path | None = None
    baseline: Path | None = None
    fail_on_stale: bool | None = None

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.prefix}{key}: {problem}")

    @property
    def directory(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()


# --- reading -----------------------------------------------------------------------------

def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return parse(read_text(path, "config file"), "toml", path, "config file")
    except LoadError as exc:
        raise ConfigError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _table_of(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The listing-audit settings of a parsed file and the prefix that names their keys."""
    if path.name == PYPROJECT:
        tool = data.get("tool")
        table = tool.get("listing-audit") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: tool.listing-audit: must be a table")
        return table, "tool.listing-audit."
    return data, ""


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file from `start` (default the working directory) upwards."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            table, _ = _table_of(pyproject, _read_toml(pyproject))
            if table is not None:
                return pyproject
    return None


def load_config(path: Path) -> Config:
    """Read and check one config file (a pyproject.toml needs a [tool.listing-audit] table)."""
    path = Path(os.path.abspath(path))
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    table, prefix = _table_of(path, _read_toml(path))
    if table is None:
        raise ConfigError(f"{path}: has no [tool.listing-audit] table")
    config = Config(path=path, prefix=prefix)
    for key, value in table.items():
        if key not in KEYS:
            hint = difflib.get_close_matches(key, KEYS, n=1)
            more = f"; did you mean '{hint[0]}'?" if hint else f" (known keys: {', '.join(KEYS)})"
            if key == "tool" and not prefix:
                more = "; in listing-audit.toml the keys go at the top level, without [tool.listing-audit]"
            raise config.error(key, f"unknown key{more}")
        _KEY_CHECKS[key](config, key, value)
    return config


def discover(explicit: Path | None = None, *, search: bool = True) -> Config:
    """The config to use: `explicit` (--config), else the nearest file, else the defaults."""
    if explicit is not None:
        return load_config(explicit)
    if not search:
        return Config()
    found = find_config()
    return load_config(found) if found is not None else Config()


# --- value checks ------------------------------------------------------------------------

def _strings(config: Config, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise config.error(key, f"must be a list of non-empty strings, not {value!r}")
    return [item.strip() for v in value for item in v.split(",") if item.strip()]


def _choice(config: Config, key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise config.error(key, f"{value!r} is not one of {', '.join(choices)}")
    return value


def _path(config: Config, key: str, value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise config.error(key, f"must be a path (a non-empty string), not {value!r}")
    return config.directory / value


def _set_list(attr: str):
    def check(config: Config, key: str, value: Any) -> None:
        setattr(config, attr, _strings(config, key, value))
    return check


def _set_fail_on(config: Config, key: str, value: Any) -> None:
    config.fail_on = _choice(config, key, value, FAIL_ON)


def _set_format(config: Config, key: str, value: Any) -> None:
    config.format = _choice(config, key, value, FORMATS)


def _set_as_of(config: Config, key: str, value: Any) -> None:
    if isinstance(value, dt.datetime):
        raise config.error(key, f"must be a date (YYYY-MM-DD), not a date and time {value!r}")
    if isinstance(value, dt.date):
        config.as_of = value
        return
    if isinstance(value, str):
        try:
            config.as_of = dt.date.fromisoformat(value)
            return
        except ValueError:
            pass
    raise config.error(key, f"{value!r} is not a date (expected YYYY-MM-DD)")


def _set_rule_dirs(config: Config, key: str, value: Any) -> None:
    dirs = [_path(config, key, v) for v in ([value] if isinstance(value, str) else value)] \
        if isinstance(value, (str, list)) else None
    if dirs is None:
        raise config.error(key, f"must be a list of directories, not {value!r}")
    for directory in dirs:
        if not directory.is_dir():
            raise config.error(key, f"{directory} is not a directory")
    config.rule_dirs = dirs


def _set_rules(config: Config, key: str, value: Any) -> None:
    if isinstance(value, list):
        raise config.error(key, "must be a table of per-rule settings ([rules.LA304]); "
                                "extra rule directories go in 'rule-dirs'")
    if not isinstance(value, dict):
        raise config.error(key, f"must be a table of per-rule settings, not {value!r}")
    for rule_id, settings in value.items():
        if not isinstance(settings, dict):
            raise config.error(f"{key}.{rule_id}", "must be a table (severity and rule parameters)")
        if "severity" in settings:
            _choice(config, f"{key}.{rule_id}.severity", settings["severity"], SEVERITIES)
    config.rules = value


def _set_per_path_ignores(config: Config, key: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise config.error(key, f"must be a table of glob = [rules], not {value!r}")
    config.per_path_ignores = {
        pattern: _strings(config, f'{key}."{pattern}"', rules) for pattern, rules in value.items()}


def _set_waivers(config: Config, key: str, value: Any) -> None:
    config.waivers = _path(config, key, value)


def _set_baseline(config: Config, key: str, value: Any) -> None:
    config.baseline = _path(config, key, value)


def _set_fail_on_stale(config: Config, key: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise config.error(key, f"must be true or false, not {value!r}")
    config.fail_on_stale = value


_KEY_CHECKS = {
    "select": _set_list("select"), "ignore": _set_list("ignore"), "fail-on": _set_fail_on,
    "as-of": _set_as_of, "rule-dirs": _set_rule_dirs, "include": _set_list("include"),
    "exclude": _set_list("exclude"), "format": _set_format, "rules": _set_rules,
    "per-path-ignores": _set_per_path_ignores, "waivers": _set_waivers,
    "baseline": _set_baseline, "fail-on-stale": _set_fail_on_stale,
}
assert set(_KEY_CHECKS) == set(KEYS)


# --- checks that need the rules ----------------------------------------------------------

def _matches(rule: Rule, token: str) -> bool:
    return rule_matches(rule.id, rule.name, token)


def check_rule_tokens(config: Config, rules: list[Rule], *, skip: tuple[str, ...] = ()) -> None:
    """Every rule named in select, ignore and per-path-ignores must exist."""
    named = [(k, getattr(config, k)) for k in ("select", "ignore") if k not in skip]
    named += [(f'per-path-ignores."{p}"', tokens) for p, tokens in config.per_path_ignores.items()]
    for key, tokens in named:
        for token in tokens or []:
            if not any(_matches(rule, token) for rule in rules):
                raise config.error(key, f"no rule matches {token!r}{did_you_mean(token, ((r.id, r.name) for r in rules))}")


def rule_settings(config: Config, rules: list[Rule]) -> dict[str, dict[str, Any]]:
    """The engine's per-rule settings ({rule id: {"severity": ..., parameter: value}}), checked."""
    by_key = {r.id: r for r in rules} | {r.name: r for r in rules}
    settings: dict[str, dict[str, Any]] = {}
    for rule_key, values in config.rules.items():
        key = f"rules.{rule_key}"
        rule = by_key.get(rule_key) or by_key.get(rule_key.upper())
        if rule is None:
            raise config.error(key, "no such rule (`listing-audit rules` lists them)")
        for name, value in values.items():
            if name == "severity":
                continue
            if name == "mostly":
                if isinstance(value, bool) or not isinstance(value, (int, float)) \
                        or not 0 <= value <= 1:
                    raise config.error(f"{key}.mostly", "must be a number from 0 to 1 (the share "
                                       f"of a column's rows expected to pass), not {value!r}")
                continue
            if name not in rule.parameters:
                known = ", ".join(sorted(rule.parameters)) or "none"
                raise config.error(f"{key}.{name}", f"{rule.id} has no parameter {name!r} "
                                                    f"(it takes severity, mostly and: {known})")
            default = rule.parameters[name]
            if not _same_type(value, default):
                raise config.error(f"{key}.{name}", f"must be {_type_name(default)} like the "
                                                    f"default {default!r}, not {value!r}")
        overrides = {k: v for k, v in values.items() if k not in ("severity", "mostly")}
        for check in rule.checks:
            try:
                rule.resolved(check, overrides)
            except Exception as exc:  # noqa: BLE001 - a check's own validation of the value
                raise config.error(key, str(exc)) from None
        settings[rule.id] = dict(values)
    return settings


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and (isinstance(default, float) or isinstance(value, int))
    if default is None:
        return True
    return isinstance(value, type(default))


def _type_name(default: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(default), type(default).__name__)


# --- per-path ignores --------------------------------------------------------------------

def _relative(path: str, directory: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(directory.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def ignored_rules_for(config: Config, path: str) -> list[str]:
    """The per-path-ignores tokens that apply to one input path."""
    if not config.per_path_ignores or not path or path.startswith("<"):
        return []
    candidates = {Path(path).as_posix(), _relative(path, config.directory)}
    names = {c.rsplit("/", 1)[-1] for c in candidates}
    tokens: list[str] = []
    for pattern, rules in config.per_path_ignores.items():
        targets = candidates if "/" in pattern else candidates | names
        if any(fnmatch.fnmatchcase(t, pattern) for t in targets):
            tokens.extend(rules)
    return tokens


def apply_per_path_ignores(config: Config, findings: list[Finding],
                           rules: list[Rule]) -> list[Finding]:
    """Drop the findings that per-path-ignores switch off for their file."""
    if not config.per_path_ignores:
        return findings
    by_id = {r.id: r for r in rules}
    cache: dict[str, list[str]] = {}
    kept = []
    for finding in findings:
        tokens = cache.setdefault(finding.path, ignored_rules_for(config, finding.path))
        rule = by_id.get(finding.rule)
        if tokens and rule is not None and any(_matches(rule, t) for t in tokens):
            continue
        kept.append(finding)
    return kept


# --- listing-audit init --------------------------------------------------------------------

STARTER = '''\
# listing-audit configuration (docs/ci.md explains every key and the CI set-up).
# Found by walking up from the working directory; flags on the command line win over it.
# The same keys work under [tool.listing-audit] in pyproject.toml.
# Paths below are relative to this file.

# Rules to run: ids (LA101), id prefixes (LA1, LA50) or names; default all.
# select = ["ALL"]
# Rules to skip.
# ignore = ["LA505"]

# Lowest severity that fails the run: error | warning | info | never.
fail-on = "error"

# Audit date for date-dependent rules (default: today). Pin it for reproducible CI runs.
# as-of = 2026-11-24

# Which files to read inside directories, and which to skip (globs).
# include = ["*.txt", "*.html", "*.json", "*.jsonl", "*.csv", "*.parquet"]
# exclude = ["drafts/*"]

# Output format for standard output: terminal | json | html | sarif | junit | markdown | github.
# format = "terminal"

# Directories with more rule files (*.yaml).
# rule-dirs = ["audit-rules"]

# Known findings that do not fail the run (write it with --write-baseline FILE).
# baseline = ".listing-audit-baseline.json"
# Fail when baseline entries no longer match anything, so the baseline shrinks.
# fail-on-stale = false

# Accepted findings, each with a reason, who decided, and an optional expiry date.
# waivers = "listing-audit-waivers.toml"

# Rules switched off for some files (globs relative to this file).
# [per-path-ignores]
# "legacy/*.csv" = ["LA505", "LA507"]

# Per-rule severity and parameters (`listing-audit explain LA301` documents each rule).
# [rules.LA304]
# severity = "info"
# [rules.LA301]
# stale_after_days = 1461   # how long without a new episode before "currently running" is suspect
# [rules.LA401]
# max_years_ahead = 5
# [rules.LA601]
# mostly = 0.95   # when fewer of a column's rows pass, its findings become one column finding
'''
