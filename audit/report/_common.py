"""Helpers shared by the report formats: reading the report dict defensively, and the few
derived values (anchors, fingerprints, relative paths) that must agree across formats.

The report dict may come from the current run or from a JSON file saved by an older or newer
version, so optional keys are read with defaults here rather than in every format.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

# Most severe first; every format that orders by severity uses this.
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

STATUSES = ("active", "baselined", "waived")


def prepare(report: dict[str, Any]) -> dict[str, Any]:
    """The report with each finding's position filled in, without changing the caller's dict.

    Schema 1 only promises evidence positions; a report written by another tool (or an older
    version) may leave out the finding's own line and column. They are then taken the way the
    engine defines them: the first evidence line in the finding's own file, and its column.
    """
    findings = []
    for finding in report.get("findings") or []:
        if "line" not in finding or "column" not in finding:
            finding = dict(finding)
            own = [e for e in finding.get("evidence") or []
                   if (e.get("path") or finding.get("path")) == finding.get("path")
                   and e.get("line") is not None]
            first = min(own, key=lambda e: e["line"]) if own else {}
            finding.setdefault("line", first.get("line"))
            finding.setdefault("column", first.get("column"))
        findings.append(finding)
    return {**report, "findings": findings}


def severity_totals(report: dict[str, Any]) -> dict[str, int]:
    """Findings per severity as the run reported them; counted from findings if absent."""
    stated = (report.get("summary") or {}).get("findings")
    if isinstance(stated, dict):
        return {sev: int(stated.get(sev) or 0) for sev in SEVERITIES}
    counted = Counter(f.get("severity") for f in report.get("findings") or [])
    return {sev: counted.get(sev, 0) for sev in SEVERITIES}


def summary_value(report: dict[str, Any], key: str) -> int:
    """An integer from the summary; keys added after schema 1 (baselined, waived) may be absent."""
    return int((report.get("summary") or {}).get(key) or 0)


def status_of(finding: dict[str, Any]) -> str:
    status = finding.get("status") or "active"
    return status if status in STATUSES else "active"


def rules_by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rule["id"]: rule for rule in report.get("rules") or []}


def by_severity(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings most severe first; the stable sort keeps the report's (path, line, rule) order."""
    return sorted(findings, key=lambda f: SEVERITY_RANK.get(f.get("severity"), len(SEVERITIES)))


def findings_by_rule(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per rule with findings: id, name, count, the severities its findings have, how many
    files they are in, and how many column roll-ups (and rows) are among them.

    A finding's severity can differ from its rule's default (LA201 is an error when one
    synopsis covers every episode, else a warning), so severities come from the findings.
    Sorted most severe first, then by rule id.
    """
    rules = rules_by_id(report)
    stats: dict[str, dict[str, Any]] = {}
    for finding in report.get("findings") or []:
        rule_id = finding["rule"]
        entry = stats.setdefault(rule_id, {
            "id": rule_id, "count": 0, "severities": set(), "files": set(), "rollups": 0,
            "rolled_rows": 0,
            "name": rules.get(rule_id, {}).get("name") or finding.get("name") or "",
        })
        entry["count"] += 1
        entry["severities"].add(finding.get("severity") or "warning")
        entry["files"].add(finding.get("path") or "")
        if finding.get("scope") == "column":
            entry["rollups"] += 1
            entry["rolled_rows"] += int(finding.get("count") or 0)
    out = []
    for entry in stats.values():
        entry["severities"] = sorted(entry["severities"],
                                     key=lambda s: SEVERITY_RANK.get(s, len(SEVERITIES)))
        entry["files"] = len(entry["files"])
        out.append(entry)
    return sorted(out, key=lambda e: (SEVERITY_RANK.get(e["severities"][0], len(SEVERITIES)),
                                      e["id"]))


def rollup_note(finding: dict[str, Any]) -> str | None:
    """For a column roll-up: 'column date_added: 331 of 1,081 rows (31%), 5 shown; every row
    is in the JSON report'; None for any other finding."""
    if finding.get("scope") != "column":
        return None
    from audit.model import format_share

    count, total = int(finding.get("count") or 0), int(finding.get("total") or 0)
    share = finding.get("share")
    share = float(share) if share is not None else (count / total if total else 1.0)
    shown = len(finding.get("evidence") or [])
    return (f"column {finding.get('field') or '?'}: {count:,} of {total:,} rows "
            f"({format_share(share)}), the first {shown} shown; every row is in the JSON report")


def listing_title(finding: dict[str, Any]) -> str:
    """What to call the thing a finding is about: the listing's title, else its file."""
    listing = finding.get("listing") or {}
    return str(listing.get("title") or listing.get("id") or finding.get("path") or "")


def first_line(text: str | None) -> str:
    return (text or "").split("\n", 1)[0].rstrip("\r")


def one_line(text: str | None) -> str:
    """Collapse line breaks so multi-line evidence fits line-oriented formats.

    Leading and trailing white space is kept: it can be the very thing a finding is about.
    """
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text or "")


# Characters that act on a terminal or a log instead of printing: C0 and C1 controls, DEL,
# line and paragraph separators, and the bidirectional overrides and isolates that reorder
# what a reader sees ("Trojan Source"). Tab is kept: it moves the cursor, nothing more.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)          # the Control Pictures block: ␀ ␊ ␛ ...
    if code == 0x7f:
        return "\u2421"                    # ␡
    return f"<U+{code:04X}>"


def visible(text: object) -> str:
    """Listing text made safe for a line-oriented human report (terminal, Markdown, logs).

    Every control character is shown as a visible stand-in instead of acting: an ANSI escape
    cannot clear the screen or recolour the report, a NUL or shift character cannot confuse
    the terminal, and a line break cannot start a line of output with listing text, so a
    title "x\n::error::y" cannot become a workflow command in a CI log. Lone surrogates (a
    JSON "\\ud83c", a file name that is not UTF-8) are shown the same way, so every codec can
    carry the result.
    """
    return _INVISIBLE.sub(_shown, "" if text is None else str(text))


# What GitHub-flavoured Markdown turns into a link by itself: a URL scheme's "://", a bare
# "www.", an e-mail address's "@". Writing the trigger character as an entity keeps the same
# visible text but gives the autolinker nothing to match.
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?i:\b(w)(?=ww\.))|(@)")


def unlinked(markdown: str) -> str:
    """Escaped Markdown text in which no URL, "www." or e-mail address becomes a live link.

    Apply after HTML escaping (the entities it writes must survive as entities).
    """
    return _AUTOLINK.sub(lambda m: f"&#{ord(m.group())};", markdown)


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """`text` as UTF-8 can carry it: a lone surrogate (a file name that is not UTF-8, kept by
    Python as U+DC80-U+DCFF) is written as its escape "\\udcff", never a UnicodeEncodeError."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def line_span(evidence: dict[str, Any]) -> str:
    """'line 9' or 'lines 29-44'; empty when the evidence has no line."""
    line, end = evidence.get("line"), evidence.get("end_line")
    if line is None:
        return ""
    if end is not None and end != line:
        return f"lines {line}-{end}"
    return f"line {line}"


def repo_path(path: str) -> str:
    """The path relative to the working directory with forward slashes.

    GitHub (SARIF upload, workflow annotations) resolves paths against the repository root,
    which is where CI runs the tool; paths the user gave relative stay as given, absolute ones
    under the working directory are made relative, others are kept absolute.
    """
    if not path or path == "-":
        return path
    native = Path(path)
    if native.is_absolute():
        try:
            native = native.relative_to(Path.cwd())
        except ValueError:
            return native.as_posix()
    posix = PurePosixPath(native.as_posix())
    # normpath drops "./" and folds "a/../b" so the same file always gets the same URI.
    return os.path.normpath(str(posix)).replace(os.sep, "/")


def fingerprint(finding: dict[str, Any]) -> str:
    """A stable identity for a finding: rule, file, listing key and evidence text.

    Line numbers are left out on purpose: an edit above a finding moves it without making it a
    different problem, and code scanning must keep treating it as the same alert.
    """
    listing = finding.get("listing") or {}
    texts = sorted(str(e.get("text") or "") for e in finding.get("evidence") or [])
    parts = [finding.get("rule") or "", repo_path(finding.get("path") or ""),
             str(listing.get("key") or listing.get("title") or ""), *texts]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def unique_fingerprints(findings: list[dict[str, Any]]) -> list[str]:
    """One fingerprint per finding, made unique by occurrence order.

    Two findings with identical rule, listing and evidence text would otherwise collapse into
    one alert; the suffix stays stable as long as the report's order does.
    """
    seen: Counter[str] = Counter()
    out = []
    for finding in findings:
        base = fingerprint(finding)
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}:{seen[base]}")
    return out


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_ANCHOR_SAFE = re.compile(r"[A-Za-z0-9_-]+")


def anchor_id(prefix: str, value: str) -> str:
    """An HTML id `<prefix>-<value>` that is safe in a URL fragment and never collides.

    Values made only of letters, digits, `-` and `_` are used as they are (so `#rule-LA101`
    reads naturally). Anything else is slugified (lower case, runs of other characters become
    `-`, at most 48 characters) and followed by the first 8 hex digits of the SHA-256 of the
    original value, because two different values can slugify to the same text
    ("a/b" and "a-b"). Example: `fixtures/race-to-mars.txt#1` ->
    `listing-fixtures-race-to-mars-txt-1-<8 hex digits>`.
    """
    if _ANCHOR_SAFE.fullmatch(value):
        return f"{prefix}-{value}"
    slug = _SLUG_UNSAFE.sub("-", value.lower()).strip("-")[:48].strip("-")
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}" if slug else f"{prefix}-{digest}"


def listing_anchor(listing_id: str) -> str:
    return anchor_id("listing", listing_id)


def rule_anchor(rule_id: str) -> str:
    return anchor_id("rule", rule_id)


def file_anchor(path: str) -> str:
    return anchor_id("file", path)


def file_paths(report: dict[str, Any]) -> list[str]:
    """Every input file: those the run read or skipped, then any only findings mention."""
    paths = [f["path"] for f in report.get("files") or [] if f.get("path") is not None]
    known = set(paths)
    extra = sorted({f["path"] for f in report.get("findings") or []
                    if f.get("path") is not None and f["path"] not in known})
    return paths + extra
