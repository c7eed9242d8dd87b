"""The JSON report dict: the one result model every output format renders."""

from __future__ import annotations

from typing import Any

from . import __version__
from .model import SEVERITIES, Finding, Severity
from .pipeline import Run

SCHEMA_VERSION = 1


def fails(finding: Finding, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return finding.severity.rank >= Severity(fail_on).rank


def to_report(run: Run, *, fail_on: str = "error") -> dict[str, Any]:
    counts = {s: 0 for s in SEVERITIES}
    for finding in run.findings:
        counts[finding.severity.value] += 1
    read = [f for f in run.files if f["status"] == "read"]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "listing-audit", "version": __version__},
        "as_of": run.as_of.isoformat(),
        "inputs": sorted(run.inputs),
        "summary": {
            "files": len(read),
            "skipped": len(run.files) - len(read),
            "listings": int(len(run.tables.listings)),
            "episodes": int(len(run.tables.episodes)),
            "findings": counts,
            "failing": sum(fails(f, fail_on) for f in run.findings),
            "fail_on": fail_on,
        },
        "files": run.files,
        "rules": [rule.to_dict() for rule in run.rules],
        "findings": [finding.to_dict() for finding in run.findings],
    }
