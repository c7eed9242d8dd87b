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

from ._common import visible

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

    summary = report["summary"]
    counts = summary["findings"]
    files = summary["files"]
    line = (f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
            f"{_plural(counts['info'], 'info')} in {_plural(files, 'file')} "
            f"({_plural(summary['listings'], 'listing')}, {_plural(summary['episodes'], 'episode')})")
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


def render(report: dict[str, Any], *, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=100, highlight=False, emoji=False, soft_wrap=True)
    for path, in_file in groupby(report["findings"], key=lambda f: f["path"]):
        console.print(Text(visible(path), style="bold underline"))
        in_file = sorted(in_file, key=lambda f: ((f["listing"] or {}).get("id") or "", f["line"] or 0, f["rule"]))
        for listing_id, in_listing in groupby(in_file, key=lambda f: (f["listing"] or {}).get("id")):
            in_listing = list(in_listing)
            listing = in_listing[0]["listing"]
            if listing:
                console.print(Text(f"  {visible(listing.get('title') or listing_id)}", style="bold"))
            for finding in in_listing:
                where = f"{finding['line']}:{finding['column'] or 1}" if finding["line"] else "-"
                status = _STATUS_NOTE.get(finding.get("status", "active"), "")
                console.print(
                    f"    [dim]{escape(where)}[/dim] [{_STYLE[finding['severity']]}]"
                    f"{finding['severity']}[/] [bold]{finding['rule']}[/bold] "
                    f"{escape(visible(finding['name']))}{escape(status)}")
                console.print(Text(f"      {visible(finding['message'])}"))
                if finding.get("status") == "waived" and finding.get("waiver"):
                    console.print(Text(f"      waived: {visible(finding['waiver'].get('reason', ''))}", style="dim"))
                for item in finding["evidence"]:
                    if not item.get("text"):
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
    console.print(summary_line(report))
    return buffer.getvalue()
