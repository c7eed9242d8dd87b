"""Runs the selected rules over the tables and returns the findings, sorted and de-duplicated,
with column-wide problems rolled up (audit/rollup.py)."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any, Callable

import pandas as pd

from .checks import CHECKS, scope_of
from .checks.base import Context, Hit
from .model import Finding, Severity
from .progress import Progress
from .rollup import DEFAULT_MOSTLY, ColumnCounts, column_counts, roll_up
from .ruleset import Rule
from .tables import Tables


class _Blank(dict):
    """Message variables a hit does not provide print as nothing rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


class _DatedContext(Context):
    """A check's context that notes whether the check read the audit date, so the engine can
    state the date in the messages of findings that depend on it."""

    used_date = False

    @property  # type: ignore[override]
    def as_of(self) -> dt.date:
        self.used_date = True
        return self._as_of

    @as_of.setter
    def as_of(self, value: dt.date) -> None:
        self._as_of = value


def _dated(message: str, as_of: dt.date) -> str:
    """The message with the audit date it was judged against, unless it already says it."""
    stamp = as_of.isoformat()
    return message if stamp in message else f"{message} (as of {stamp})"


def _message(template: str, variables: dict[str, Any]) -> str:
    try:
        return string.Formatter().vformat(template, (), _Blank(variables)).strip()
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        # A format spec that does not suit the value ("{value:.2f}" given text): the values
        # plain, rather than a finding lost.
        plain = "".join(literal + ("" if name is None else str(_Blank(variables)[name]))
                        for literal, name, _, _ in string.Formatter().parse(template))
        return plain.strip()


def run_rules(rules: list[Rule], tables: Tables, *, as_of: dt.date,
              settings: dict[str, dict[str, Any]] | None = None,
              progress: Progress | None = None) -> list[Finding]:
    """`settings` maps a rule id to overrides: "severity", "mostly" (the roll-up threshold)
    and the rule's own parameters."""
    found = check_findings(rules, tables, as_of=as_of, settings=settings, progress=progress)
    return finish(found, rules, settings, counts=lambda: column_counts(tables))


def check_findings(rules: list[Rule], tables: Tables, *, as_of: dt.date,
                   settings: dict[str, dict[str, Any]] | None = None,
                   progress: Progress | None = None,
                   scope: str | None = None) -> list[tuple[int, int, Finding]]:
    """Every hit of the rules' checks as a finding, with the (rule, check) positions that
    order them. `scope` runs only the checks of that scope (audit/checks: "listing" or
    "catalogue"), so a partitioned run can split one rule's checks between workers and the
    driver; finish() then merges them as if they had run together."""
    # Looked up once per finding: plain dicts, not a DataFrame lookup per hit.
    titles = dict(zip(tables.listings["listing_id"], tables.listings["title"]))
    keys = dict(zip(tables.listings["listing_id"], tables.listings["key"]))
    found: list[tuple[int, int, Finding]] = []
    progress = progress or Progress.off()
    progress.stage("running rules", len(rules))
    for rule_index, rule in enumerate(rules):
        progress.advance()
        overrides = dict((settings or {}).get(rule.id, {}))
        severity_override = overrides.pop("severity", None)
        overrides.pop("mostly", None)
        for check_index, check in enumerate(rule.checks):
            params = rule.resolved(check, overrides)
            if scope is not None and scope_of(check.kind, params) != scope:
                continue
            ctx = _DatedContext(as_of=as_of, rule_id=rule.id)
            hits: list[Hit] = CHECKS[check.kind].run(tables, params, ctx)
            for hit in hits:
                severity = Severity(severity_override) if severity_override else (
                    hit.severity or check.severity or rule.severity)
                title = key = None
                if hit.listing_id is not None and hit.listing_id in titles:
                    title = titles[hit.listing_id]
                    title = None if pd.isna(title) else str(title)
                    key = str(keys[hit.listing_id])
                message = hit.message or _message(check.message or rule.message, hit.variables)
                if ctx.used_date:
                    message = _dated(message, as_of)
                found.append((rule_index, check_index, Finding(
                    rule=rule.id, name=rule.name, severity=severity,
                    message=message,
                    path=hit.path, listing_id=hit.listing_id, listing_title=title,
                    listing_key=key, evidence=hit.evidence)))
    return found


def finish(found: list[tuple[int, int, Finding]], rules: list[Rule],
           settings: dict[str, dict[str, Any]] | None, *,
           counts: ColumnCounts | Callable[[], ColumnCounts]) -> list[Finding]:
    """The run's findings from its checks' hits: one per identity (the first in rule and
    check order), explained ones dropped, sorted, column-wide problems rolled up."""
    findings: dict[tuple, Finding] = {}
    # A stable sort: hits of one check keep the order they were found in.
    for _, _, finding in sorted(found, key=lambda item: (item[0], item[1])):
        findings.setdefault((finding.rule, finding.listing_id, tuple(finding.evidence)), finding)
    mostly: dict[str, float] = {}
    for rule in rules:
        mostly[rule.id] = float((settings or {}).get(rule.id, {}).get(
            "mostly", rule.mostly if rule.mostly is not None else DEFAULT_MOSTLY))
    # One cause, one finding: explained findings go before column-wide problems roll up.
    kept = explained(list(findings.values()), {rule.id: rule.explains for rule in rules})
    return roll_up(sorted(kept, key=Finding.sort_key), counts, mostly)


def _cited(finding: Finding) -> tuple[set[tuple], set[int]]:
    """The claims a finding cites (path, line, field, episode) and the episodes it cites."""
    claims = {(e.path, e.line, e.field, e.episode) for e in finding.evidence}
    return claims, {e.episode for e in finding.evidence if e.episode is not None}


def explained(findings: list[Finding], explains: dict[str, tuple[str, ...]]) -> list[Finding]:
    """Drop the findings another finding explains: one cause, one finding.

    A rule names the rules it explains (`explains:` in its rule file). A finding of such a
    rule explains a finding of a named rule on the same listing that cites a claim it cites
    (a 1970-01-01 air date: LA305, and the LA303 "aired before" it causes), or whose
    episodes are all among its episodes (episode 2 listed twice: LA103, and the LA303
    "episode 2 aired before episode 2" between the two).
    """
    causes: dict[tuple[str, str], list[tuple[set, set]]] = {}
    for finding in findings:
        for target in explains.get(finding.rule, ()):
            if finding.listing_id is not None:
                causes.setdefault((target, finding.listing_id), []).append(_cited(finding))
    if not causes:
        return findings
    kept = []
    for finding in findings:
        candidates = causes.get((finding.rule, finding.listing_id or ""), [])
        if candidates:
            claims, episodes = _cited(finding)
            if any(claims & cause_claims or (episodes and episodes <= cause_episodes)
                   for cause_claims, cause_episodes in candidates):
                continue
        kept.append(finding)
    return kept
