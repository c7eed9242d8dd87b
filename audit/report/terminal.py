"""The terminal report: findings grouped by file and listing, evidence quoted.

Colour only when asked (the CLI asks on a TTY without NO_COLOR). Listing text is printed as
text: rich markup in a synopsis ("[bold]") is escaped, never interpreted.
"""

from __future__ import annotations

import io
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from audit.report._common import findings_by_rule, rollup_note, visible

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_STATUS_NOTE = {"baselined": " (baselined)", "waived": " (waived)"}


def _plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: dict[str, Any]) -> str:
    """One line: what was found, what was accepted (baselined, waived), and what fails the run.

    "3 errors, 7 warnings, 0 info in 1 file (1 listing, 4 episodes); 8 baselined, 1 waived;
    1 fixed since the baseline (1 stale entry); 1 new at or above error fails the run"
    """
    def entries(count: int) -> str:
        return f"{count} stale {'entry' if count == 1 else 'entries'}"

    summary = report.get("summary") or {}
    counts = {"error": 0, "warning": 0, "info": 0, **(summary.get("findings") or {})}
    files = summary.get("files", 0)
    line = (f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
            f"{_plural(counts['info'], 'info')} in {_plural(files, 'file')} "
            f"({_plural(summary.get('listings', 0), 'listing')}, {_plural(summary.get('episodes', 0), 'episode')})")
    if summary.get("skipped"):
        line += f"; {summary['skipped']} skipped"
    extras = [f"{summary[k]} {k}" for k in ("baselined", "waived") if summary.get(k)]
    if extras:
        line += "; " + ", ".join(extras)
    if summary.get("fixed"):
        stale = int(summary.get("stale") or 0)
        line += (f"; {summary['fixed']} fixed since the baseline "
                 f"({entries(stale)})")
    if summary.get("waivers_expired"):
        expired = summary["waivers_expired"]
        line += f"; {expired} finding{'' if expired == 1 else 's'} back on (waiver expired)"
    fail_on = summary.get("fail_on", "error")
    failing = int(summary.get("failing") or 0)
    stale_failing = int(summary.get("stale") or 0) if summary.get("fail_on_stale") else 0
    findings_failing = failing - stale_failing
    new = "new " if "baselined" in summary else ""
    if fail_on == "never":
        verdict = "not gating (--fail-on never)"
        if stale_failing:
            verdict += f", but {entries(stale_failing)} in the baseline fail"
    else:
        verdict = f"{findings_failing} {new}at or above {fail_on}"
        if stale_failing:
            verdict += f" and {entries(stale_failing)} in the baseline"
        verdict += f" {'fails' if failing == 1 else 'fail'} the run"
    if summary.get("exit_zero") and failing:
        verdict += " (--exit-zero: exit 0 anyway)"
    return f"{line}; {verdict}"


def _ordered(findings: list[dict[str, Any]]) -> list[tuple[str, list[list[dict[str, Any]]]]]:
    """Files in path order; in each, the listings in the order of their first finding's line,
    and each listing's findings by line and column (numbers compared as numbers: line 3 of a
    CSV comes before line 11). A finding about no listing (a whole file, a column roll-up) is
    a group of its own at its line."""
    def line(f: dict[str, Any]) -> tuple[int, int]:
        return (f.get("line") or 0, f.get("column") or 0)

    by_path: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_path.setdefault(finding.get("path") or "", []).append(finding)
    out = []
    for path in sorted(by_path):
        groups: dict[Any, list[dict[str, Any]]] = {}
        for index, finding in enumerate(by_path[path]):
            listing_id = (finding.get("listing") or {}).get("id")
            groups.setdefault(listing_id if listing_id is not None else ("", index), []).append(finding)
        ordered = [sorted(g, key=lambda f: (*line(f), f["rule"], f.get("message") or ""))
                   for g in groups.values()]
        ordered.sort(key=lambda g: (*line(g[0]), str((g[0].get("listing") or {}).get("id") or "")))
        out.append((path, ordered))
    return out


def rule_table(report: dict[str, Any]) -> list[str]:
    """Findings per rule, like `ruff --statistics`: count, rule, severity, files, name.

    A column roll-up counts as one finding; how many rows it stands for is said after it.
    """
    stats = findings_by_rule(report)
    if not stats:
        return []
    width = max(len(f"{e['count']:,}") for e in stats)
    id_width = max(len(e["id"]) for e in stats)
    name_width = max(len(e["name"]) for e in stats)
    lines = ["Findings by rule"]
    for entry in stats:
        severity = "/".join(entry["severities"])
        files = _plural(entry["files"], "file")
        line = (f"  {entry['count']:>{width},}  {entry['id']:<{id_width}}  {severity:<7}  "
                f"{entry['name']:<{name_width}}  in {files}")
        if entry["rollups"]:
            rows = entry["rolled_rows"]
            line += (f" ({_plural(entry['rollups'], 'column roll-up')} of "
                     f"{rows:,} row{'' if rows == 1 else 's'})")
        lines.append(line.rstrip())
    return lines


def statistics(report: dict[str, Any], *, color: bool = False) -> str:
    """`--statistics`: the per-rule table and the summary line, nothing else."""
    lines = rule_table(report) or ["No findings."]
    return "\n".join([*lines, "", summary_line(report)]) + "\n"


def render(report: dict[str, Any], *, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=100, highlight=False, emoji=False, soft_wrap=True)
    for path, groups in _ordered((report.get("findings") or [])):
        console.print(Text(visible(path), style="bold underline"))
        for in_listing in groups:
            listing = in_listing[0].get("listing")
            if listing:
                console.print(Text(f"  {visible(listing.get('title') or listing.get('id'))}", style="bold"))
            for finding in in_listing:
                line = finding.get("line")
                where = f"{line}:{finding.get('column') or 1}" if line else "-"
                status = _STATUS_NOTE.get(finding.get("status", "active"), "")
                console.print(
                    f"    [dim]{escape(where)}[/dim] [{_STYLE[finding['severity']]}]"
                    f"{finding['severity']}[/] [bold]{finding['rule']}[/bold] "
                    f"{escape(visible(finding.get('name') or ''))}{escape(status)}")
                console.print(Text(f"      {visible(finding.get('message') or '')}"))
                note = rollup_note(finding)
                if note:
                    console.print(Text(f"      {visible(note)}", style="dim"))
                if finding.get("status") == "waived" and finding.get("waiver"):
                    console.print(Text(f"      waived: {visible(finding['waiver'].get('reason', ''))}", style="dim"))
                for item in finding.get("evidence") or []:
                    if not item.get("text") and not note:
                        continue
                    line = item.get("line")
                    span = f"{line}-{item['end_line']}" if item.get("end_line") else f"{line}"
                    text = item["text"] if len(item["text"]) <= 120 else item["text"][:119] + "\u2026"
                    if item.get("path") and item["path"] != finding["path"]:
                        # Evidence in another file (a duplicate listing): say which file.
                        text = f"{text}  ({item['path']})"
                    console.print(Text(f"        {span if line else '-':>7} \u2502 {visible(text)}", style="dim"))
        console.print()
    for entry in report.get("files", []):
        if entry["status"] == "skipped":
            console.print(Text(visible(f"skipped {entry['path']}: {entry.get('reason', '')}"), style="dim"))
    table = rule_table(report)
    if table:
        if any(e["status"] == "skipped" for e in report.get("files", [])):
            console.print()
        for line in table:
            console.print(Text(visible(line), style="bold" if line == table[0] else ""))
        console.print()
    console.print(summary_line(report))
    return buffer.getvalue()
