"""JUnit XML for GitLab, Jenkins and other CI test-report views.

Mapping (what a CI system shows as a test):
- one <testsuite> per input file, named by its path;
- one <testcase> per finding, named "RULE listing @ line N"; (classname, name) is unique across
  the whole report, because GitLab and Jenkins keep only the first of several equal test
  identities: a name already used (the same show in two files) gets " (path)", then " #2"...;
- error and warning findings carry a <failure> with the message and the evidence;
- info findings pass: they are advice, and a red test would say otherwise; the message is
  kept in <system-out>;
- baselined and waived findings are <skipped> with the reason, since they are accepted and do
  not fail the run;
- a file without findings gets one passing "no findings" case (Jenkins fails a report with no
  test cases), a file the run skipped gets one skipped case with the reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from audit.report._common import (
    file_paths, line_span, listing_title, prepare, rollup_note, status_of,
)

# XML 1.0 allows tab, LF, CR and most of the rest of Unicode; anything else (NUL, other control
# characters, lone surrogates, U+FFFE/U+FFFF) makes the document ill-formed, and
# ElementTree would write it anyway.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FAILING_SEVERITIES = ("error", "warning")


def clean(text: Any) -> str:
    return _ILLEGAL_XML.sub("", "" if text is None else str(text))


def render(report: dict[str, Any], *, color: bool = False) -> str:
    report = prepare(report)
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in report.get("findings") or []:
        by_path[finding.get("path") or ""].append(finding)
    files = {f["path"]: f for f in report.get("files") or [] if f.get("path") is not None}

    root = ET.Element("testsuites", name=clean((report.get("tool") or {}).get("name")
                                               or "listing-audit"))
    taken: set[tuple[str, str]] = set()
    for path in file_paths(report):
        root.append(_suite(path, files.get(path, {}), by_path.get(path, []), taken))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _suite(path: str, file: dict[str, Any], findings: list[dict[str, Any]],
           taken: set[tuple[str, str]]) -> ET.Element:
    suite = ET.Element("testsuite", name=clean(path))
    properties = ET.SubElement(suite, "properties")
    for key in ("format", "status", "listings", "episodes"):
        if file.get(key) is not None:
            ET.SubElement(properties, "property", name=key, value=clean(file[key]))
    if file.get("status") == "skipped":
        case = ET.SubElement(suite, "testcase", name=clean(f"{path} was not read"),
                             classname="listing-audit.input", file=clean(path))
        ET.SubElement(case, "skipped", message=clean(file.get("reason") or "skipped"))
    elif not findings:
        ET.SubElement(suite, "testcase", name=clean(f"no findings in {path}"),
                      classname="listing-audit.input", file=clean(path))
    names = _unique_names(findings, path, taken)
    for finding, name in zip(findings, names):
        suite.append(_case(finding, name))
    if not len(properties):
        suite.remove(properties)
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", "0")
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    return suite


def _unique_names(findings: list[dict[str, Any]], path: str,
                  taken: set[tuple[str, str]]) -> list[str]:
    names: list[str] = []
    bases: set[tuple[str, str]] = set()  # this file's own names, before numbering
    for finding in findings:
        classname = clean(f"listing-audit.{finding['rule']}")
        base = clean(_case_name(finding))
        if (classname, base) in taken and (classname, base) not in bases:
            bases.add((classname, base))
            base = clean(f"{base} ({path})")  # the same case in another file: say which
        bases.add((classname, base))
        name, n = base, 1
        # Loop rather than trust the counter: a title may itself end in " #2".
        while (classname, name) in taken:
            n += 1
            name = f"{base} #{n}"
        taken.add((classname, name))
        names.append(name)
    return names


def _case_name(finding: dict[str, Any]) -> str:
    name = f"{finding['rule']} {listing_title(finding)}"
    if finding.get("line") is not None:
        name += f" @ line {finding['line']}"
    return name


def _case(finding: dict[str, Any], name: str) -> ET.Element:
    case = ET.Element("testcase", name=name,
                      classname=clean(f"listing-audit.{finding['rule']}"),
                      file=clean(finding.get("path") or ""))
    if finding.get("line") is not None:
        case.set("line", str(finding["line"]))
    message = clean(finding.get("message") or finding["rule"])
    details = clean(_details(finding))
    status = status_of(finding)
    if status != "active":
        ET.SubElement(case, "skipped", message=clean(_accepted(finding)))
        ET.SubElement(case, "system-out").text = details
    elif finding.get("severity") in FAILING_SEVERITIES:
        failure = ET.SubElement(case, "failure", message=message, type=clean(finding["rule"]))
        failure.text = details
    else:
        ET.SubElement(case, "system-out").text = details
    return case


def _accepted(finding: dict[str, Any]) -> str:
    if status_of(finding) == "baselined":
        return "baselined: present in the baseline"
    waiver = finding.get("waiver") or {}
    text = f"waived: {waiver.get('reason') or 'no reason given'}"
    if waiver.get("by"):
        text += f" (by {waiver['by']}"
        text += f", until {waiver['expires']})" if waiver.get("expires") else ")"
    elif waiver.get("expires"):
        text += f" (until {waiver['expires']})"
    return text


def _details(finding: dict[str, Any]) -> str:
    """The failure body: what a reader needs without opening the HTML report."""
    lines = [
        f"{finding.get('severity', '')} {finding['rule']} {finding.get('name', '')}".strip(),
        finding.get("message") or "",
    ]
    if finding.get("listing"):
        listing = finding["listing"]
        lines.append(f"Listing: {listing_title(finding)} ({listing.get('id') or ''})")
    location = finding.get("path") or ""
    if finding.get("line") is not None:
        location += f":{finding['line']}"
        if finding.get("column") is not None:
            location += f":{finding['column']}"
    lines.append(f"Location: {location}")
    note = rollup_note(finding)
    if note:
        lines.append(note[0].upper() + note[1:])
    evidence = finding.get("evidence") or []
    if evidence:
        lines.append("Evidence:")
    for item in evidence:
        where = line_span(item) or "no line"
        if item.get("column") is not None:
            where += f", column {item['column']}"
        labels = [item.get("source"), item.get("field")]
        label = "/".join(str(x) for x in labels if x)
        if item.get("value") is not None:
            label += f" = {item['value']}"
        path = f"{item['path']} " if item.get("path") and item["path"] != finding.get("path") \
            else ""
        lines.append(f"  {path}{where} [{label}]:")
        lines.extend(f"    {text_line}" for text_line in str(item.get("text") or "").split("\n"))
    return "\n".join(lines) + "\n"
