"""The JSON report dict: the one result model every output format renders."""

from __future__ import annotations

import json
import math
from typing import Any

from . import __version__
from . import baseline as baseline_mod
from . import waivers as waivers_mod
from .fingerprint import fingerprint
from .model import SEVERITIES, Severity
from .pipeline import Run

SCHEMA_VERSION = 1


def _fails(severity: str, fail_on: str) -> bool:
    return fail_on != "never" and Severity(severity).rank >= Severity(fail_on).rank


def finding_dicts(run: Run) -> list[dict[str, Any]]:
    """The findings as report dicts, each with its fingerprint and status "active"."""
    out = []
    for finding in run.findings:
        item = finding.to_dict()
        item["fingerprint"] = fingerprint(item)
        item["status"] = "active"
        out.append(item)
    return out


def to_report(run: Run, *, fail_on: str = "error",
              waivers: list[waivers_mod.Waiver] | None = None, waivers_source: str | None = None,
              baseline: list[baseline_mod.Entry] | None = None, baseline_source: str | None = None,
              fail_on_stale: bool = False, exit_zero: bool = False) -> dict[str, Any]:
    """The report dict. With waivers and a baseline, findings get a status (active, waived,
    baselined) and only active ones at or above `fail_on` count as failing; with
    `fail_on_stale`, stale baseline entries fail the run too."""
    findings = finding_dicts(run)
    waiver_section = baseline_section = None
    if waivers is not None:
        waiver_section = waivers_mod.apply(findings, waivers, as_of=run.as_of,
                                           source=waivers_source)
    if baseline is not None:
        baseline_section = baseline_mod.apply(
            findings, baseline, rules_run={r.id for r in run.rules},
            listing_keys={str(k) for k in run.tables.listings["key"]},
            inputs=run.inputs, files=[f["path"] for f in run.files], source=baseline_source)
    counts = {s: 0 for s in SEVERITIES}
    active = {s: 0 for s in SEVERITIES}
    for item in findings:
        counts[item["severity"]] += 1
        if item["status"] == "active":
            active[item["severity"]] += 1
    failing = sum(item["status"] == "active" and _fails(item["severity"], fail_on)
                  for item in findings)
    read = [f for f in run.files if f["status"] == "read"]
    summary: dict[str, Any] = {
        "files": len(read),
        "skipped": len(run.files) - len(read),
        "listings": int(len(run.tables.listings)),
        "episodes": int(len(run.tables.episodes)),
        "findings": counts,
        "failing": failing,
        "fail_on": fail_on,
    }
    if waivers is not None or baseline is not None:
        summary["active"] = active
    if waiver_section is not None:
        summary["waived"] = waiver_section["waived"]
        summary["waivers_expired"] = waiver_section["expired"]
    if baseline_section is not None:
        summary["baselined"] = baseline_section["baselined"]
        summary["fixed"] = baseline_section["fixed"]
        summary["stale"] = len(baseline_section["stale"])
        if fail_on_stale:
            summary["fail_on_stale"] = True
            summary["failing"] += summary["stale"]
    if exit_zero:
        summary["exit_zero"] = True
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "listing-audit", "version": __version__},
        "as_of": run.as_of.isoformat(),
        "inputs": sorted(run.inputs),
        "summary": summary,
        "files": run.files,
        "rules": [rule.to_dict() for rule in run.rules],
        "findings": findings,
    }
    if waiver_section is not None:
        report["waivers"] = waiver_section
    if baseline_section is not None:
        report["baseline"] = baseline_section
    return report


# --- saved reports ------------------------------------------------------------------------

class SavedReportError(Exception):
    """A saved JSON report that cannot be rendered; str() names the file and the key."""


_TEXT = (str,)
_OPTIONAL_TEXT = (str, type(None))
_COUNT = "count"        # a whole number from 0 up, below 2**63
_OPTIONAL_COUNT = "optional count"
_SUMMARY_COUNTS = ("files", "skipped", "listings", "episodes", "failing", "baselined", "fixed",
                   "stale", "waived", "waivers_expired")
_FINDING_TEXT = {"rule": _TEXT, "name": _OPTIONAL_TEXT, "message": _OPTIONAL_TEXT,
                 "path": _OPTIONAL_TEXT, "fingerprint": _OPTIONAL_TEXT, "status": _OPTIONAL_TEXT}
_EVIDENCE_TEXT = {"path": _OPTIONAL_TEXT, "text": _OPTIONAL_TEXT, "field": _OPTIONAL_TEXT,
                  "source": _OPTIONAL_TEXT}


def _is_count(value: Any, optional: bool) -> bool:
    if value is None:
        return optional
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2 ** 63


def _expect(where: str, value: Any, kind: Any) -> None:
    if kind in (_COUNT, _OPTIONAL_COUNT):
        if not _is_count(value, kind == _OPTIONAL_COUNT):
            raise SavedReportError(f"{where}: must be a whole number from 0 to 2**63-1"
                                   f"{' or null' if kind == _OPTIONAL_COUNT else ''}, not {_shown(value)}")
    elif not isinstance(value, kind):
        names = " or ".join("null" if t is type(None) else {"str": "a string", "dict": "an object",
                                                           "list": "a list"}.get(t.__name__, t.__name__)
                            for t in kind)
        raise SavedReportError(f"{where}: must be {names}, not {_shown(value)}")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def check_saved(data: Any, name: str) -> dict[str, Any]:
    """Check a saved report's every key a format reads, so that `report` fails with one line
    naming the file and the key (exit 2) rather than with a KeyError halfway through."""
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise SavedReportError(f"{name} is not a listing-audit JSON report (schema_version {SCHEMA_VERSION})")
    for key, kind in (("summary", (dict,)), ("findings", (list,)), ("files", (list, type(None))),
                      ("rules", (list, type(None))), ("tool", (dict, type(None))),
                      ("as_of", _OPTIONAL_TEXT), ("inputs", (list, type(None)))):
        _expect(f"{name}: {key}", data.get(key), kind)
    summary = data["summary"]
    for key in _SUMMARY_COUNTS:
        if key in summary:
            _expect(f"{name}: summary.{key}", summary[key], _COUNT)
    counts = summary.get("findings")
    if counts is not None:
        _expect(f"{name}: summary.findings", counts, (dict,))
        for severity in SEVERITIES:
            _expect(f"{name}: summary.findings.{severity}", counts.get(severity, 0), _COUNT)
    if summary.get("fail_on") is not None and summary["fail_on"] not in (*SEVERITIES, "never"):
        raise SavedReportError(f"{name}: summary.fail_on: must be one of error, warning, info, never")
    for key in ("tool", ):
        for sub in ("name", "version"):
            if data.get(key):
                _expect(f"{name}: {key}.{sub}", data[key].get(sub), _OPTIONAL_TEXT)
    for index, value in enumerate(data.get("inputs") or []):
        _expect(f"{name}: inputs[{index}]", value, _TEXT)
    for index, entry in enumerate(data.get("files") or []):
        where = f"{name}: files[{index}]"
        _expect(where, entry, (dict,))
        for key in ("path", "status", "reason", "format"):
            _expect(f"{where}.{key}", entry.get(key), _OPTIONAL_TEXT)
        for key in ("listings", "episodes"):
            _expect(f"{where}.{key}", entry.get(key), _OPTIONAL_COUNT)
    for index, rule in enumerate(data.get("rules") or []):
        where = f"{name}: rules[{index}]"
        _expect(where, rule, (dict,))
        _expect(f"{where}.id", rule.get("id"), _TEXT)
        for key in ("name", "severity", "summary", "rationale", "example"):
            _expect(f"{where}.{key}", rule.get(key), _OPTIONAL_TEXT)
    for index, finding in enumerate(data["findings"]):
        where = f"{name}: findings[{index}]"
        _expect(where, finding, (dict,))
        for key, kind in _FINDING_TEXT.items():
            _expect(f"{where}.{key}", finding.get(key), kind)
        if finding.get("severity") not in SEVERITIES:
            raise SavedReportError(f"{where}.severity: must be one of {', '.join(SEVERITIES)}, "
                                   f"not {_shown(finding.get('severity'))}")
        for key in ("line", "column"):
            _expect(f"{where}.{key}", finding.get(key), _OPTIONAL_COUNT)
        listing = finding.get("listing")
        _expect(f"{where}.listing", listing, (dict, type(None)))
        for key in ("id", "title", "key"):
            if listing:
                _expect(f"{where}.listing.{key}", listing.get(key), _OPTIONAL_TEXT)
        for key in ("waiver",):
            waiver = finding.get(key)
            _expect(f"{where}.{key}", waiver, (dict, type(None)))
            for sub in ("rule", "listing", "reason", "by", "expires"):
                if waiver:
                    _expect(f"{where}.{key}.{sub}", waiver.get(sub), _OPTIONAL_TEXT)
        evidence = finding.get("evidence")
        _expect(f"{where}.evidence", evidence, (list, type(None)))
        for number, item in enumerate(evidence or []):
            at = f"{where}.evidence[{number}]"
            _expect(at, item, (dict,))
            for key, kind in _EVIDENCE_TEXT.items():
                _expect(f"{at}.{key}", item.get(key), kind)
            for key in ("line", "column", "end_line"):
                _expect(f"{at}.{key}", item.get(key), _OPTIONAL_COUNT)
            value = item.get("value")
            if isinstance(value, float) and not math.isfinite(value):
                raise SavedReportError(f"{at}.value: must be a finite number, not {_shown(value)}")
    return data
