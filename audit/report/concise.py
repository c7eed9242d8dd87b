"""`--format concise`: one line per finding, `path:line:col: RULE [severity] message`.

Editors and terminals turn `path:line:col:` into a link, and `grep LA101` finds every
finding of a rule. Findings come in path and line order (numbers compared as numbers), then
the one-line summary the terminal report ends with.
"""

from __future__ import annotations

from typing import Any

from audit.report._common import one_line, prepare, status_of, visible
from audit.report.terminal import summary_line

_STATUS_NOTE = {"baselined": " (baselined)", "waived": " (waived)"}


def _key(finding: dict[str, Any]) -> tuple:
    return (finding.get("path") or "", finding.get("line") or 0, finding.get("column") or 0,
            finding["rule"], finding.get("message") or "")


def render(report: dict[str, Any], *, color: bool = False) -> str:
    report = prepare(report)
    lines = []
    for finding in sorted(report.get("findings") or [], key=_key):
        where = visible(finding.get("path") or "-")
        if finding.get("line") is not None:
            where += f":{finding['line']}:{finding.get('column') or 1}"
        status = _STATUS_NOTE.get(status_of(finding), "")
        lines.append(f"{where}: {finding['rule']} [{finding.get('severity')}] "
                     f"{visible(one_line(finding.get('message')))}{status}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
