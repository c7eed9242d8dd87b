"""pattern: a regular expression found in (or, with `whole`, matching all of) a text field.

Each pattern reports the first place it matches in each value, with the exact column. A
pattern may name its own `fields` (a subset of the check's). With `per_value: true` a value
that several patterns match is one finding: its labels joined, one evidence item per match.
"""

from __future__ import annotations

import re

import pandas as pd

from ..model import Evidence
from ..tables import Tables
from .base import compile_checked, CheckError, Context, Hit, Param, optional_int, as_list, select_claims
from .prefilter import contains

KIND = "pattern"
PARAMETERS = {
    "fields": Param((list, str), required=True, help="claim fields to search"),
    "patterns": Param((list,), required=True,
                      help="a list of {regex, label}: what to find and how to name it"),
    "whole": Param((bool,), default=False, help="the regex must match the whole value"),
    "ignore_case": Param((bool,), default=True),
    "exclude": Param((str,), help="regular expression: values it matches are not searched"),
    "per_value": Param((bool,), default=False,
                       help="one finding per value, however many patterns it matches"),
}
VARIABLES = {"match", "label", "field"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"


def validate(params: dict) -> None:
    for pattern in params["patterns"]:
        if not isinstance(pattern, dict) or set(pattern) - {"regex", "label", "fields"} \
                or "regex" not in pattern:
            raise CheckError("each pattern must be a mapping {regex, label} (and optional fields)")
        stray = set(as_list(pattern.get("fields"))) - set(as_list(params["fields"]))
        if stray:
            raise CheckError(f"pattern {pattern['regex']!r} names fields the check does not search: "
                             f"{', '.join(sorted(stray))}")
        compile_checked(pattern["regex"])
    if params["exclude"]:
        compile_checked(params["exclude"])


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _any_pattern(texts: pd.Series, params: dict, flags: str) -> pd.Series:
    """Which texts any of the patterns can match, in one pass instead of one per pattern.

    Few values match at all, so each pattern then searches only these. Patterns that
    cannot share one expression (repeated group names, back references) skip the shortcut.
    """
    regexes = [p["regex"] for p in params["patterns"]]
    if len(regexes) < 2 or any(_BACKREFERENCE.search(r) for r in regexes):
        return pd.Series(True, index=texts.index)
    either = "|".join(f"(?:{r})" for r in regexes)
    combined = f"{flags}^\\s*(?:{either})\\s*$" if params["whole"] else f"{flags}(?:{either})"
    try:
        re.compile(combined)
    except re.error:
        return pd.Series(True, index=texts.index)
    return contains(texts, combined)


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    rows = select_claims(tables.claims, as_list(params["fields"]))
    rows = rows[rows["text"].notna() & (rows["text"] != "")]
    flags = "(?si)" if params["ignore_case"] else "(?s)"
    if params["exclude"]:
        rows = rows[~contains(rows["text"], flags + params["exclude"])]
    rows = rows[_any_pattern(rows["text"], params, flags)]
    if rows.empty:
        return []  # most checks on most pages: no text any pattern can match
    hits = []
    for pattern in params["patterns"]:
        regex = pattern["regex"]
        searched = rows[rows["field"].isin(as_list(pattern["fields"]))] if pattern.get("fields") else rows
        if params["whole"]:
            # A whole value may carry surrounding space; the defect is the value inside it.
            anchored = f"{flags}^(?P<pre>\\s*)(?P<match>(?:{regex}))\\s*$"
            search = f"{flags}^\\s*(?:{regex})\\s*$"
        else:
            anchored, search = f"{flags}^(?P<pre>.*?)(?P<match>(?:{regex}))", f"{flags}(?:{regex})"
        # A plain search finds the few matching rows fast; only they pay for the capture of
        # the prefix that gives the match's column.
        candidates = searched[contains(searched["text"], search)]
        if candidates.empty:
            continue
        found = candidates["text"].str.extract(anchored)
        matched = candidates.assign(pre=found["pre"], match=found["match"])[found["match"].notna()]
        for index, row in zip(matched.index, matched.itertuples(index=False)):
            column = None if pd.isna(row.column) else int(row.column) + len(row.pre)
            hits.append((index, Hit(
                path=row.path, listing_id=None if pd.isna(row.listing_id) else row.listing_id,
                evidence=[Evidence(path=row.path, line=optional_int(row.line), column=column,
                                   text=row.match, field=row.field, value=row.value,
                                   source=row.source, episode=optional_int(row.episode))],
                variables={"match": row.match, "label": pattern.get("label", "pattern"),
                           "field": row.field.replace("_", " ")})))
    if not params["per_value"]:
        return [hit for _, hit in hits]
    return _one_per_value(hits)


def _one_per_value(hits: list[tuple[int, Hit]]) -> list[Hit]:
    """Hits on one claim as one: every match as evidence and every label, in text order."""
    grouped: dict[int, list[Hit]] = {}
    for index, hit in hits:
        grouped.setdefault(index, []).append(hit)
    merged = []
    for group in grouped.values():
        group.sort(key=lambda h: (h.evidence[0].line or 0, h.evidence[0].column or 0))
        first = group[0]
        first.evidence = [e for hit in group for e in hit.evidence]
        first.variables["label"] = " and ".join(hit.variables["label"] for hit in group)
        merged.append(first)
    return merged
