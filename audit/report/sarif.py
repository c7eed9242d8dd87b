"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; `tool.driver.rules` holds every active rule so that viewers can show the rule's
documentation, results point at their rule by id and index. The first evidence item on the
finding's own line is the primary location, the other evidence items are related locations.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from audit.report._common import (
    first_line, line_span, prepare, repo_path, status_of, summary_value, unique_fingerprints,
)

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# Key of our fingerprint in partialFingerprints; bump the version if its inputs ever change,
# so that code scanning does not match old and new fingerprints by accident.
FINGERPRINT_KEY = "listingAudit/v1"
SRCROOT = "%SRCROOT%"


def render(report: dict[str, Any], *, color: bool = False) -> str:
    report = prepare(report)
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"


def build(report: dict[str, Any]) -> dict[str, Any]:
    findings = report.get("findings") or []
    rules = _rule_descriptors(report, findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    # Per SARIF 3.27.24, once a run is compared with a baseline every result states its
    # baseline state; a report without baselined findings was not compared, so none do.
    compared = summary_value(report, "baselined") > 0 or any(
        status_of(f) == "baselined" for f in findings)
    results = [
        _result(finding, index, fp, compared)
        for finding, fp in zip(findings, unique_fingerprints(findings))
    ]
    tool = report.get("tool") or {}
    driver: dict[str, Any] = {
        "name": tool.get("name") or "listing-audit",
        "rules": rules,
    }
    if tool.get("version"):
        driver["version"] = str(tool["version"])
        driver["semanticVersion"] = str(tool["version"])
    if tool.get("url"):
        driver["informationUri"] = tool["url"]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"description": {
            "text": "The directory listing-audit ran in; result paths are relative to it."}}},
        # Columns come from Python string indices, which count code points.
        "columnKind": "unicodeCodePoints",
        "invocations": [_invocation(report)],
        "results": results,
        "properties": {"asOf": report.get("as_of"), "inputs": list(report.get("inputs") or [])},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule_descriptors(report: dict[str, Any], findings: list[dict[str, Any]]) -> list[dict]:
    descriptors = [_descriptor(rule) for rule in report.get("rules") or []]
    known = {d["id"] for d in descriptors}
    # A finding whose rule is missing from report["rules"] (a hand-edited or trimmed report)
    # still needs a descriptor, or its ruleIndex would point nowhere.
    for finding in findings:
        if finding["rule"] not in known:
            known.add(finding["rule"])
            descriptors.append(_descriptor({
                "id": finding["rule"], "name": finding.get("name") or finding["rule"],
                "severity": finding.get("severity"), "summary": finding.get("name") or "",
            }))
    return descriptors


def _descriptor(rule: dict[str, Any]) -> dict[str, Any]:
    summary = rule.get("summary") or rule.get("name") or rule["id"]
    rationale = rule.get("rationale") or summary
    help_text = f"{summary}\n\n{rationale}"
    help_markdown = f"**{rule['id']} {rule.get('name', '')}**: {summary}\n\n{rationale}"
    if rule.get("example"):
        help_text += f"\n\nExample:\n{rule['example']}"
        fence = "````" if "```" in rule["example"] else "```"
        help_markdown += f"\n\nExample:\n\n{fence}text\n{rule['example']}\n{fence}"
    descriptor: dict[str, Any] = {
        "id": rule["id"],
        "name": rule.get("name") or rule["id"],
        "shortDescription": {"text": summary},
        "fullDescription": {"text": rationale},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS.get(rule.get("severity"), "warning")},
    }
    if rule.get("severity"):
        descriptor["properties"] = {"tags": ["listing-audit", rule["severity"]]}
    return descriptor


def _result(finding: dict[str, Any], index: dict[str, int], fp: str,
            compared: bool) -> dict[str, Any]:
    primary, related = _split_evidence(finding)
    result: dict[str, Any] = {
        "ruleId": finding["rule"],
        "ruleIndex": index[finding["rule"]],
        "level": LEVELS.get(finding.get("severity"), "warning"),
        "message": {"text": finding.get("message") or finding["rule"]},
        "locations": [_location(finding.get("path") or "", primary, finding)],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
    }
    if related:
        result["relatedLocations"] = [
            dict(_location(e.get("path") or finding.get("path") or "", e), id=i,
                 message={"text": _describe(e)})
            for i, e in enumerate(related, start=1)
        ]
    status = status_of(finding)
    if status == "waived":
        waiver = finding.get("waiver") or {}
        suppression: dict[str, Any] = {
            "kind": "external", "status": "accepted",
            "justification": waiver.get("reason") or "waived",
        }
        extra = {k: waiver[k] for k in ("by", "expires") if waiver.get(k)}
        if extra:
            suppression["properties"] = extra
        result["suppressions"] = [suppression]
    if compared:
        result["baselineState"] = "unchanged" if status == "baselined" else "new"
    listing = finding.get("listing")
    if listing:
        result["properties"] = {"listing": {k: listing[k] for k in sorted(listing)
                                            if listing[k] is not None}}
    if finding.get("scope") == "column":
        # A column roll-up: the examples are its locations; the counts say how far it goes.
        result["properties"] = {"scope": "column", "field": finding.get("field"),
                                "count": finding.get("count"), "total": finding.get("total"),
                                "share": finding.get("share")}
    return result


def _split_evidence(finding: dict[str, Any]) -> tuple[dict | None, list[dict]]:
    """The evidence at the finding's own position, and the rest."""
    evidence = list(finding.get("evidence") or [])
    for i, item in enumerate(evidence):
        if (item.get("path") or finding.get("path")) == finding.get("path") \
                and item.get("line") == finding.get("line"):
            return item, evidence[:i] + evidence[i + 1:]
    return None, evidence


def _location(path: str, evidence: dict | None, finding: dict | None = None) -> dict:
    line = (evidence or {}).get("line") or (finding or {}).get("line")
    column = (evidence or {}).get("column") or (finding or {}).get("column")
    end_line = (evidence or {}).get("end_line")
    # GitHub rejects results without region.startLine; a file-level finding (no line) points
    # at the first line, which is where a reader would start looking anyway.
    region: dict[str, Any] = {"startLine": max(int(line or 1), 1)}
    if column:
        region["startColumn"] = max(int(column), 1)
    if end_line and line and end_line > line:
        # A multi-line span: without endColumn the region runs to the end of endLine.
        region["endLine"] = int(end_line)
    elif line and column:
        region["endLine"] = region["startLine"]
        region["endColumn"] = region["startColumn"] + max(len(first_line(
            (evidence or {}).get("text"))), 1)
    text = (evidence or {}).get("text")
    # A snippet must be the region's exact text, which we only know for one-line spans.
    if text and "\n" not in text and "endColumn" in region:
        region["snippet"] = {"text": text}
    return {"physicalLocation": {"artifactLocation": _artifact(path), "region": region}}


def _artifact(path: str) -> dict[str, Any]:
    relative = repo_path(path)
    if relative.startswith("/"):
        return {"uri": "file://" + quote(relative, safe="/", errors="backslashreplace")}
    # A path that is not valid UTF-8 (a lone surrogate) is written with its escape, not lost.
    return {"uri": quote(relative, safe="/", errors="backslashreplace"), "uriBaseId": SRCROOT}


def _describe(evidence: dict[str, Any]) -> str:
    where = line_span(evidence)
    source = evidence.get("source") or evidence.get("field") or "evidence"
    text = first_line(evidence.get("text"))
    return f"{source} ({where}): {text}" if where else f"{source}: {text}"


def _invocation(report: dict[str, Any]) -> dict[str, Any]:
    notifications = [
        {
            "level": "note",
            "message": {"text": f"Skipped {f['path']}: {f.get('reason') or 'not read'}"},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(f["path"])}}],
        }
        for f in report.get("files") or [] if f.get("status") == "skipped"
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
