"""The JSON report dict: the one result model every output format renders."""

from __future__ import annotations

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
