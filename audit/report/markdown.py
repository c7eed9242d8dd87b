"""A Markdown summary for pull-request comments and `$GITHUB_STEP_SUMMARY`.

GitHub-flavoured Markdown renders raw HTML and turns `|` into cell breaks, and listing text is
untrusted (scraped pages), so every piece of listing text is either escaped (prose: HTML
characters become entities, Markdown punctuation is backslash-escaped) or quoted in a code
span (evidence), where Markdown and HTML are shown literally.
"""

from __future__ import annotations

import re
from typing import Any

from audit.report._common import (
    SEVERITIES, SEVERITY_RANK, findings_by_rule, line_span, listing_title, one_line, plural,
    prepare, rollup_note, severity_totals, shorten, status_of, summary_value, unlinked, visible,
)

# How many findings to list in full; a step summary is capped at 1 MiB and a PR comment at
# 65536 characters, and nobody reads past the first few dozen anyway.
MAX_FINDINGS = 50
EVIDENCE_CHARS = 200
MAX_EVIDENCE = 5

# Inline text always follows other text on its line (and line breaks are flattened), so only
# characters that act mid-line need escaping: `#`, `-`, `+` and `1.` only matter at the start of
# a line, `(` and `!` only next to an (escaped) bracket.
_PUNCTUATION = re.compile(r"([\\*_\[\]|~])")
# A backtick is written as an entity, not "\`": nothing can pair it with another backtick
# into a code span, however a renderer (or a reader's regex) scans for them.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "`": "&#96;"}


def escape(text: Any, *, links: bool = False) -> str:
    """Make untrusted text inert inline Markdown that renders as the same characters; with
    `links` (the team's own waiver entries, never listing text) addresses may stay links."""
    flat = visible(one_line(str(text)).strip())
    flat = "".join(_HTML.get(ch, ch) for ch in flat)
    flat = _PUNCTUATION.sub(r"\\\1", flat)
    return flat if links else unlinked(flat)


def code(text: Any) -> str:
    """A code span that shows `text` literally, whatever backticks it contains."""
    flat = visible(one_line(str(text)))
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick (or a space) needs padding, which
    # CommonMark strips again.
    if flat.startswith(("`", " ")) or flat.endswith(("`", " ")):
        flat = f" {flat} "
    # `|` ends a table cell even inside a code span in GFM; outside tables `\|` is shown as is,
    # so the escape is only applied by table_cell().
    return f"{fence}{flat}{fence}"


def table_cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(report: dict[str, Any], *, color: bool = False) -> str:
    report = prepare(report)
    parts = [_header(report), _rule_table(report), _skipped(report), _findings(report)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(report: dict[str, Any]) -> str:
    """The verdict and the totals, one short paragraph each."""
    totals = severity_totals(report)
    counts = ", ".join(plural(totals[s], s, "info" if s == "info" else None) for s in SEVERITIES)
    summary = report.get("summary") or {}
    tool = report.get("tool") or {}
    paragraphs = [f"## listing-audit: {counts}"]
    if "failing" in summary:
        failing = summary_value(report, "failing")
        threshold = code(summary.get("fail_on") or "error")
        paragraphs.append(f"**Failing**: {plural(failing, 'finding')} at or above {threshold}."
                          if failing else f"**Passing**: no findings at or above {threshold}.")
    scanned = (f"{plural(summary_value(report, 'files'), 'file')} "
               f"({plural(summary_value(report, 'listings'), 'listing')}, "
               f"{plural(summary_value(report, 'episodes'), 'episode')})")
    skipped = summary_value(report, "skipped")
    if skipped:
        scanned += f", {skipped} skipped"
    version = f" {escape(tool['version'])}" if tool.get("version") else ""
    paragraphs.append(f"Checked {scanned} as of {escape(report.get('as_of') or 'unknown')} "
                      f"with {escape(tool.get('name') or 'listing-audit')}{version}.")
    accepted = [plural(summary_value(report, key), f"{key} finding")
                for key in ("baselined", "waived") if summary_value(report, key)]
    if accepted:
        paragraphs.append(f"Accepted: {' and '.join(accepted)} (not counted as failing).")
    inputs = report.get("inputs") or []
    if inputs:
        paragraphs.append("Inputs: " + ", ".join(code(i) for i in inputs))
    return "\n\n".join(paragraphs)


def _rule_table(report: dict[str, Any]) -> str:
    stats = findings_by_rule(report)
    if not stats:
        return "No findings."
    lines = ["### Findings by rule", "", "| Rule | Name | Severity | Findings |",
             "| --- | --- | --- | ---: |"]
    for entry in stats:
        cells = [escape(entry["id"]), escape(entry["name"]),
                 escape(", ".join(entry["severities"])), str(entry["count"])]
        lines.append("| " + " | ".join(table_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _skipped(report: dict[str, Any]) -> str:
    skipped = [f for f in report.get("files") or [] if f.get("status") == "skipped"]
    if not skipped:
        return ""
    lines = ["### Skipped files", ""]
    lines += [f"- {code(f['path'])}: {escape(f.get('reason') or 'not read')}" for f in skipped]
    return "\n".join(lines)


def _findings(report: dict[str, Any]) -> str:
    findings = report.get("findings") or []
    if not findings:
        return ""
    # Findings that need attention first (active before accepted, errors before warnings);
    # the sort is stable, so the report's (path, line, rule) order is kept within a group.
    ordered = sorted(findings, key=lambda f: (status_of(f) != "active",
                                              SEVERITY_RANK.get(f.get("severity"), 9)))
    shown = ordered[:MAX_FINDINGS]
    lines = ["### Findings", ""]
    for number, finding in enumerate(shown, start=1):
        lines.extend(_finding(number, finding))
    rest = len(ordered) - len(shown)
    if rest:
        lines += ["", f"_…and {plural(rest, 'more finding')} not shown here; "
                      "see the HTML or JSON report for all of them._"]
    return "\n".join(lines)


def _finding(number: int, finding: dict[str, Any]) -> list[str]:
    location = finding.get("path") or ""
    if finding.get("line") is not None:
        location += f":{finding['line']}"
        if finding.get("column") is not None:
            location += f":{finding['column']}"
    about = f"*{escape(listing_title(finding))}*, " if finding.get("listing") else ""
    head = (f"{number}. **{escape(finding.get('severity') or '')}** {code(finding['rule'])} "
            f"{escape(finding.get('name') or '')}: {escape(finding.get('message') or '')} "
            f"({about}{code(location)})")
    status = status_of(finding)
    if status == "baselined":
        head += " _baselined_"
    elif status == "waived":
        waiver = finding.get("waiver") or {}
        detail = ", ".join(
            part for part in (f"by {escape(waiver['by'], links=True)}" if waiver.get("by") else "",
                              f"until {escape(waiver['expires'])}" if waiver.get("expires")
                              else "") if part)
        reason = escape(waiver.get("reason") or "no reason given")
        head += f" _waived: {reason}{f' ({detail})' if detail else ''}_"
    lines = [head]
    # Nested lines must be indented to the item's text ("1. " or "10. "), or they end the list.
    indent = " " * len(f"{number}. ")
    evidence = finding.get("evidence") or []
    note = rollup_note(finding)
    if note:
        lines.append(f"{indent}- {escape(note)}")
    for item in evidence[:MAX_EVIDENCE]:
        where = line_span(item) or "no line"
        if item.get("path") and item["path"] != finding.get("path"):
            where = f"{code(item['path'])} {where}"
        source = f" ({escape(item['source'])})" if item.get("source") else ""
        text = shorten(one_line(item.get("text")), EVIDENCE_CHARS)
        lines.append(f"{indent}- {where}{source}: {code(text) if text else '(empty)'}")
    if len(evidence) > MAX_EVIDENCE:
        more = plural(len(evidence) - MAX_EVIDENCE, "more evidence item")
        lines.append(f"{indent}- …and {more}")
    return lines
