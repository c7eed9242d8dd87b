"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.

GitHub turns these lines into annotations on the run and on the pull request's diff. It shows
at most 10 annotations of each type per step and drops the rest silently, so errors come first
and a plain-text tail says how many were not shown.

Baselined and waived findings are not annotated (they are accepted; annotating them would
crowd out the ones that need attention) but are counted in the tail.
"""

from __future__ import annotations

from typing import Any

from audit.report._common import (
    SEVERITIES, by_severity, first_line, line_span, listing_title, one_line, plural, prepare,
    repo_path, rollup_note, severity_totals, shorten, status_of, summary_value, visible,
)

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
# GitHub's documented limit per annotation type and step.
SHOWN_PER_TYPE = 10
EVIDENCE_CHARS = 160


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command (after the second `::`). Any other
    control or line-separating character (an ANSI escape, U+001E, U+2028) is shown, not
    passed to the log, where it could recolour the output or start a line of its own."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a property value; `:` and `,` would otherwise end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: dict[str, Any], *, color: bool = False) -> str:
    report = prepare(report)
    active = [f for f in report.get("findings") or [] if status_of(f) == "active"]
    lines = [_annotation(f) for f in by_severity(active)]
    lines.extend(_tail(report, active))
    return "\n".join(lines) + "\n"


def _annotation(finding: dict[str, Any]) -> str:
    props: list[tuple[str, str]] = [("file", repo_path(finding.get("path") or ""))]
    line, column = finding.get("line"), finding.get("column")
    if line is not None:
        props.append(("line", str(line)))
        if column is not None:
            props.append(("col", str(column)))
        end_line, end_column = _end(finding)
        props.append(("endLine", str(end_line)))
        if end_column is not None:
            props.append(("endColumn", str(end_column)))
    props.append(("title", f"{finding['rule']} {finding.get('name') or ''}".strip()))
    command = COMMANDS.get(finding.get("severity"), "warning")
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{command} {properties}::{escape_data(_message(finding))}"


def _end(finding: dict[str, Any]) -> tuple[int, int | None]:
    """Where the offending text ends, from the evidence at the finding's own position."""
    line, column = finding["line"], finding.get("column")
    for evidence in finding.get("evidence") or []:
        if evidence.get("line") == line and (evidence.get("path") or finding.get("path")) \
                == finding.get("path"):
            end_line = evidence.get("end_line") or line
            if end_line != line or column is None:
                return end_line, None
            return line, column + max(len(first_line(evidence.get("text"))), 1)
    return line, None


def _message(finding: dict[str, Any]) -> str:
    """The finding's message, its listing, then one line per evidence item."""
    lines = [finding.get("message") or finding["rule"]]
    if finding.get("listing"):
        lines.append(f"Listing: {listing_title(finding)}")
    note = rollup_note(finding)
    if note:
        lines.append(note[0].upper() + note[1:])
    for evidence in finding.get("evidence") or []:
        where = line_span(evidence) or "no line"
        if evidence.get("path") and evidence["path"] != finding.get("path"):
            where = f"{evidence['path']} {where}"
        text = shorten(one_line(evidence.get("text")), EVIDENCE_CHARS)
        lines.append(f"{where}: \u201c{text}\u201d")
    return "\n".join(lines)


def _tail(report: dict[str, Any], active: list[dict[str, Any]]) -> list[str]:
    totals = severity_totals(report)
    summary = report.get("summary") or {}
    counts = ", ".join(plural(totals[s], s, "info" if s == "info" else None) for s in SEVERITIES)
    lines = [
        f"listing-audit: {counts} in {plural(summary_value(report, 'files'), 'file')} "
        f"({plural(summary_value(report, 'listings'), 'listing')}, "
        f"{plural(summary_value(report, 'episodes'), 'episode')})"
    ]
    accepted = [plural(summary_value(report, key), f"{key} finding")
                for key in ("baselined", "waived") if summary_value(report, key)]
    if accepted:
        lines.append(f"Not annotated: {' and '.join(accepted)}.")
    if "failing" in summary:
        lines.append(f"{plural(summary_value(report, 'failing'), 'finding')} at or above "
                     f"--fail-on {summary.get('fail_on', 'error')}.")
    hidden = []
    for severity in SEVERITIES:
        count = sum(1 for f in active if f.get("severity") == severity)
        if count > SHOWN_PER_TYPE:
            kind = COMMANDS[severity]
            hidden.append(f"{count - SHOWN_PER_TYPE} of {count} {kind} annotations")
    if hidden:
        lines.append(f"GitHub shows at most {SHOWN_PER_TYPE} annotations of each type per step: "
                     f"{'; '.join(hidden)} will not be shown. See the full report "
                     "(--format html or sarif).")
    else:
        lines.append(f"All {plural(len(active), 'annotation')} will be shown (GitHub shows at "
                     f"most {SHOWN_PER_TYPE} of each type per step).")
    return lines
