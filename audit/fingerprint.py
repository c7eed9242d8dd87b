"""The one fingerprint of a finding: what baselines, waivers and every report format use.

A fingerprint identifies a defect across runs, so it is built only from what stays put when a
page is edited elsewhere:

    rule id + listing key + the normalised text of each piece of evidence

Line and column numbers, the file's path and the message (which quotes line numbers) are
left out on purpose: inserting a line above a finding, reordering a catalogue or moving a
listing to another file must not turn a known defect into a new one. The listing key is the
source's id when it has one, else the normalised title and year (see
`audit.ingest.base.Builder.listing`). A finding about no listing (an unreadable file, LA001)
is keyed by its path instead, because the path is all there is.

A column roll-up (`"scope": "column"`, see audit/rollup.py) is one problem of one column of
one file, whatever its count: it is identified by rule, file and field, so a column that goes
from 331 to 340 empty cells is still the same, known finding.

Two findings can share a fingerprint (the same slip twice in one listing); baselines keep a
count per fingerprint, and `occurrences` numbers the repeats in report order for formats that
need one identity per result (SARIF partialFingerprints).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import PurePath
from typing import Any, Iterable

# Bump when the inputs or the normalisation change: old baselines then go stale as a whole
# (and `--write-baseline` refreshes them) instead of matching by accident.
FINGERPRINT_VERSION = 2

_SPACE = re.compile(r"\s+")


def normalise_text(text: Any) -> str:
    """Evidence text as compared: Unicode NFKC, case-folded, runs of white space as one space."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _SPACE.sub(" ", folded).strip()


def listing_key(finding: dict[str, Any]) -> str:
    """What a finding is about: its listing key, else its normalised title, else its file."""
    listing = finding.get("listing") or {}
    if listing.get("key"):
        return str(listing["key"])
    if listing.get("title"):
        return normalise_text(listing["title"])
    path = str(finding.get("path") or "")
    return f"file:{PurePath(path).as_posix()}" if path else ""


def _evidence_identity(evidence: dict[str, Any]) -> str:
    """What of one evidence item stays put: its text, except for facts the episode list
    states by itself, whose "text" is merely the first episode's heading (a new episode at
    the top of a list would otherwise make a known count conflict look new)."""
    if evidence.get("source") == "listed":
        return f"listed {evidence.get('field')}"
    return normalise_text(evidence.get("text"))


def fingerprint(finding: dict[str, Any]) -> str:
    """The fingerprint of one finding in report-dict form (`Finding.to_dict()`), 64 hex digits."""
    if finding.get("scope") == "column":
        parts = [f"v{FINGERPRINT_VERSION}", str(finding.get("rule") or ""), "column",
                 listing_key(finding), str(finding.get("field") or "")]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    texts = sorted(_evidence_identity(e) for e in finding.get("evidence") or [])
    parts = [f"v{FINGERPRINT_VERSION}", str(finding.get("rule") or ""), listing_key(finding), *texts]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def occurrences(fingerprints: Iterable[str]) -> list[int]:
    """1 for the first finding with a fingerprint, 2 for the second, ... in the order given."""
    seen: Counter[str] = Counter()
    out = []
    for fp in fingerprints:
        seen[fp] += 1
        out.append(seen[fp])
    return out
