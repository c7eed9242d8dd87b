"""Baselines: the findings a catalogue already had, so that a gate fails only on new ones.

`check --write-baseline FILE` records every current finding (except waived ones: a waiver is
its own, expiring, decision) as one entry per fingerprint with a count. `check --baseline
FILE` then matches findings to entries by fingerprint (see audit/fingerprint.py: no line
numbers, so edits elsewhere on a page do not matter). For an entry of count n, the first n
current findings with that fingerprint (in report order) are "baselined" and do not fail the
run; any more are new. An entry with fewer current findings than its count is *stale*: those
defects were fixed (or changed), and the baseline should shrink (`--fail-on-stale`).

Only entries the run could have seen can be stale: the rule must have run, and the listing
must have been audited (its key was read, or a file it was recorded in was an input or lies
under an input directory). A pre-commit run over a few changed files therefore does not call
the rest of the catalogue's baseline stale.

The file is JSON with sorted keys and sorted entries, so the same findings always give the
same bytes and a reviewer sees a small diff when the catalogue changes.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .fingerprint import FINGERPRINT_VERSION, listing_key
from .report._common import encodable
from .safe_load import MAX_BYTES, LoadError, parse, read_text

BASELINE_VERSION = 1
_TEXT_LIMIT = 100


class BaselineError(Exception):
    """A baseline file that cannot be used; str() names the file and what is wrong."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule: str
    listing: str
    count: int
    title: str | None = None
    name: str | None = None
    text: str | None = None
    paths: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fingerprint": self.fingerprint, "rule": self.rule,
                               "listing": self.listing, "count": self.count,
                               "paths": list(self.paths)}
        for key in ("name", "title", "text"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1].rstrip() + "\u2026"


def entries_of(findings: Iterable[dict[str, Any]]) -> list[Entry]:
    """One entry per fingerprint of the (non-waived) findings, sorted."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        if finding.get("status") == "waived":
            continue
        grouped.setdefault(finding["fingerprint"], []).append(finding)
    entries = []
    for fp, group in grouped.items():
        first = group[0]
        texts = [e.get("text") for e in first.get("evidence") or [] if e.get("text")]
        entries.append(Entry(
            fingerprint=fp, rule=first["rule"], listing=listing_key(first), count=len(group),
            title=(first.get("listing") or {}).get("title"), name=first.get("name"),
            text=_short(str(texts[0])) if texts else None,
            paths=tuple(sorted({str(f.get("path")) for f in group if f.get("path")}))))
    return sorted(entries, key=lambda e: (e.listing, e.rule, e.fingerprint))


def dumps(entries: list[Entry]) -> str:
    document = {
        "version": BASELINE_VERSION,
        "tool": "listing-audit",
        "fingerprint_version": FINGERPRINT_VERSION,
        "findings": [e.to_dict() for e in sorted(entries, key=lambda e: (e.listing, e.rule, e.fingerprint))],
    }
    return encodable(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def write(path: Path, findings: Iterable[dict[str, Any]]) -> list[Entry]:
    entries = entries_of(findings)
    try:
        path.write_text(dumps(entries), encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror}") from None
    return entries


def check_writable(path: Path) -> None:
    """Raise BaselineError now if `path` cannot be written later (no such folder, no right
    to write there), so that a run does not audit everything only to fail at the end."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        problem = errno.EISDIR
    elif not folder.exists():
        problem = errno.ENOENT
    elif not folder.is_dir():
        problem = errno.ENOTDIR
    elif not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        problem = errno.EACCES
    else:
        return
    raise BaselineError(f"{path}: cannot write the baseline: {os.strerror(problem)}")


def load(path: Path) -> list[Entry]:
    if not path.exists():
        raise BaselineError(f"{path}: baseline not found (create it with --write-baseline)")
    try:
        data = parse(read_text(path, "baseline", MAX_BYTES), "json", path, "baseline")
    except LoadError as exc:
        raise BaselineError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a listing-audit baseline (expected an object with 'findings')")
    if data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r} is not supported "
                            f"(expected {BASELINE_VERSION}); rewrite it with --write-baseline")
    if data.get("fingerprint_version", FINGERPRINT_VERSION) != FINGERPRINT_VERSION:
        raise BaselineError(f"{path}: written with fingerprint version {data['fingerprint_version']}, "
                            f"this version uses {FINGERPRINT_VERSION}; rewrite it with --write-baseline")
    entries = []
    for index, raw in enumerate(data["findings"]):
        where = f"{path}: findings[{index}]"
        if not isinstance(raw, dict):
            raise BaselineError(f"{where}: each entry must be an object")
        for key in ("fingerprint", "rule", "listing"):
            if not isinstance(raw.get(key), str):
                raise BaselineError(f"{where}.{key}: required, a string")
        count = raw.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{where}.count: must be a whole number of at least 1")
        paths = raw.get("paths") or []
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise BaselineError(f"{where}.paths: must be a list of strings")
        for key in ("title", "name", "text"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                raise BaselineError(f"{where}.{key}: must be a string")
        entries.append(Entry(fingerprint=raw["fingerprint"], rule=raw["rule"],
                             listing=raw["listing"], count=count, title=raw.get("title"),
                             name=raw.get("name"), text=raw.get("text"), paths=tuple(paths)))
    return entries


def _norm(path: str) -> str:
    return os.path.normpath(path.replace("\\", "/")).replace(os.sep, "/")


def _under(path: str, directory: str) -> bool:
    path, directory = _norm(path), _norm(directory)
    if directory == ".":
        return not os.path.isabs(path) and not path.startswith("../")
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def apply(findings: list[dict[str, Any]], entries: list[Entry], *, rules_run: set[str],
          listing_keys: set[str], inputs: list[str], files: list[str],
          source: str | None = None) -> dict[str, Any]:
    """Mark baselined findings (report dicts, in report order); return the report's baseline section.

    A finding whose waiver has expired is never baselined: the expiry must be seen.
    """
    budget: dict[str, int] = {}
    for entry in entries:
        budget[entry.fingerprint] = budget.get(entry.fingerprint, 0) + entry.count
    baselined = 0
    for finding in findings:
        if (finding.get("waiver") or {}).get("expired"):
            continue
        fp = finding["fingerprint"]
        if budget.get(fp, 0) > 0:
            budget[fp] -= 1
            if finding.get("status", "active") == "active":
                finding["status"] = "baselined"
                baselined += 1
    input_dirs = [i for i in inputs if i != "-" and os.path.isdir(i)]
    seen_files = {_norm(f) for f in files}

    def checked(entry: Entry) -> bool:
        if entry.rule not in rules_run:
            return False
        if entry.listing in listing_keys:
            return True
        return any(_norm(p) in seen_files or any(_under(p, d) for d in input_dirs)
                   for p in entry.paths)

    stale, unchecked = [], 0
    for entry in entries:
        left = budget.get(entry.fingerprint, 0)
        if left <= 0:
            continue
        taken = min(left, entry.count)
        budget[entry.fingerprint] = left - taken
        if checked(entry):
            stale.append({**entry.to_dict(), "missing": taken})
        else:
            unchecked += taken
    return {
        "path": source,
        "entries": len(entries),
        "baselined": baselined,
        "fixed": sum(s["missing"] for s in stale),
        "stale": stale,
        "not_checked": unchecked,
    }
