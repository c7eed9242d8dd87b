"""Runs the selected rules over the tables and returns the findings, sorted and de-duplicated."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import pandas as pd

from .checks import CHECKS
from .checks.base import Context, Hit
from .model import Finding, Severity
from .ruleset import Rule
from .tables import Tables


class _Blank(dict):
    """Message variables a hit does not provide print as nothing rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def _message(template: str, variables: dict[str, Any]) -> str:
    return string.Formatter().vformat(template, (), _Blank(variables)).strip()


def run_rules(rules: list[Rule], tables: Tables, *, as_of: dt.date,
              settings: dict[str, dict[str, Any]] | None = None) -> list[Finding]:
    """`settings` maps a rule id to overrides: "severity" and the rule's own parameters."""
    # Looked up once per finding: plain dicts, not a DataFrame lookup per hit.
    titles = dict(zip(tables.listings["listing_id"], tables.listings["title"]))
    keys = dict(zip(tables.listings["listing_id"], tables.listings["key"]))
    findings: dict[tuple, Finding] = {}
    for rule in rules:
        overrides = dict((settings or {}).get(rule.id, {}))
        severity_override = overrides.pop("severity", None)
        ctx = Context(as_of=as_of, rule_id=rule.id)
        for check in rule.checks:
            params = rule.resolved(check, overrides)
            hits: list[Hit] = CHECKS[check.kind].run(tables, params, ctx)
            for hit in hits:
                severity = Severity(severity_override) if severity_override else (
                    hit.severity or check.severity or rule.severity)
                title = key = None
                if hit.listing_id is not None and hit.listing_id in titles:
                    title = titles[hit.listing_id]
                    title = None if pd.isna(title) else str(title)
                    key = str(keys[hit.listing_id])
                finding = Finding(
                    rule=rule.id, name=rule.name, severity=severity,
                    message=hit.message or _message(check.message or rule.message, hit.variables),
                    path=hit.path, listing_id=hit.listing_id, listing_title=title,
                    listing_key=key, evidence=hit.evidence)
                identity = (rule.id, hit.listing_id, tuple(hit.evidence))
                findings.setdefault(identity, finding)
    return sorted(findings.values(), key=Finding.sort_key)
