"""Waivers: findings a team has accepted, each with a reason, who decided, and an expiry date.

A waiver file (`--waivers FILE` or the config key `waivers`) is TOML, YAML or JSON (by its
suffix) holding a list `waivers` of entries:

    [[waivers]]
    rule = "LA304"                    # a rule id or name
    listing = "race to mars|2007"     # the listing key, as the JSON report's listing.key shows
    reason = "The broadcaster really aired all four episodes on one night."
    by = "ana@example.org"
    expires = 2027-06-30              # optional; the waiver holds up to and including this day

A waiver covers every finding of that rule on that listing. A waived finding keeps its
severity and stays in every report with status "waived" and its waiver; it does not fail the
run. Once `--as-of` is past `expires` the waiver no longer applies: the finding is active
again, carries `waiver.expired = true`, and its message says which waiver expired.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .fingerprint import listing_key, normalise_text
from .safe_load import LoadError, parse, read_text

_KEYS = {"rule", "listing", "reason", "by", "expires"}
_REQUIRED = ("rule", "listing", "reason", "by")


class WaiverError(Exception):
    """A waiver file that cannot be used; str() names the file and the entry."""


@dataclass(frozen=True)
class Waiver:
    rule: str
    listing: str
    reason: str
    by: str
    expires: dt.date | None
    index: int

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "listing": self.listing,
                               "reason": self.reason, "by": self.by}
        if self.expires is not None:
            out["expires"] = self.expires.isoformat()
        return out

    def expired(self, as_of: dt.date) -> bool:
        return self.expires is not None and as_of > self.expires


def _parse(path: Path) -> Any:
    syntax = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(path.suffix.lower())
    if syntax is None:
        raise WaiverError(f"{path}: a waiver file must end in .toml, .yaml, .yml or .json")
    try:
        return parse(read_text(path, "waiver file"), syntax, path, "waiver file")
    except LoadError as exc:
        raise WaiverError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise WaiverError(f"{path}: not valid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise WaiverError(f"{path}: not valid JSON: {exc}") from None
    except yaml.YAMLError as exc:
        raise WaiverError(f"{path}: not valid YAML: {getattr(exc, 'problem', exc)}") from None


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise WaiverError(f"{where}.expires: {value!r} is not a date (expected YYYY-MM-DD)")


def load(path: Path, rules: dict[str, str] | None = None) -> list[Waiver]:
    """Read and validate a waiver file. `rules` maps rule ids and names to ids."""
    data = _parse(path)
    entries = data.get("waivers") if isinstance(data, dict) else data
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"waivers"})
        if unknown:
            raise WaiverError(f"{path}: unknown key {', '.join(map(repr, unknown))} "
                              "(a waiver file holds a list 'waivers')")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise WaiverError(f"{path}: 'waivers' must be a list of entries")
    waivers = []
    for index, raw in enumerate(entries):
        where = f"{path}: waivers[{index}]"
        if not isinstance(raw, dict):
            raise WaiverError(f"{where}: each waiver must be a mapping with {', '.join(_REQUIRED)}")
        unknown = sorted(set(raw) - _KEYS)
        if unknown:
            raise WaiverError(f"{where}: unknown key {', '.join(map(repr, unknown))} "
                              f"(known: {', '.join(sorted(_KEYS))})")
        for key in _REQUIRED:
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                raise WaiverError(f"{where}.{key}: required, a non-empty string")
        rule = raw["rule"].strip()
        if rules is not None:
            if rule not in rules and rule.upper() not in rules:
                raise WaiverError(f"{where}.rule: no rule {rule!r}")
            rule = rules.get(rule) or rules[rule.upper()]
        expires = _date(raw["expires"], where) if raw.get("expires") is not None else None
        waivers.append(Waiver(rule=rule, listing=raw["listing"].strip(),
                              reason=raw["reason"].strip(), by=raw["by"].strip(),
                              expires=expires, index=index))
    return waivers


def apply(findings: list[dict[str, Any]], waivers: list[Waiver], *, as_of: dt.date,
          source: str | None = None) -> dict[str, Any]:
    """Mark the findings (report dicts) that waivers cover; return the report's waiver section.

    A finding covered by a current waiver gets status "waived" and `waiver`; one covered only
    by expired waivers stays active, gets `waiver` with `expired: true` and a message suffix.
    """
    index: dict[tuple[str, str], list[Waiver]] = {}
    for waiver in waivers:
        index.setdefault((waiver.rule, normalise_text(waiver.listing)), []).append(waiver)
    used: set[int] = set()
    waived = expired = 0
    for finding in findings:
        candidates = index.get((finding["rule"], normalise_text(listing_key(finding))), [])
        if not candidates:
            continue
        current = [w for w in candidates if not w.expired(as_of)]
        chosen = current[0] if current else max(candidates, key=lambda w: w.expires or dt.date.min)
        used.update(w.index for w in candidates)
        finding["waiver"] = chosen.to_dict()
        if current:
            finding["status"] = "waived"
            waived += 1
        else:
            finding["waiver"]["expired"] = True
            finding["message"] += (f" [waiver expired {chosen.expires.isoformat()}: "
                                   f"{chosen.reason} (by {chosen.by})]")
            expired += 1
    return {
        "path": source,
        "entries": len(waivers),
        "waived": waived,
        "expired": expired,
        "unused": [w.to_dict() for w in waivers if w.index not in used],
    }
