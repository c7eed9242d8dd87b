"""duplicate: one value repeated where each should be its own.

Over claims (a field such as synopsis, within each listing or across the catalogue) or over
listings (key columns, across every input of the run). Values are compared after folding
case and white space (U+00A0 included). `covers_all` reports only a value that every row of
its group carries (all episodes on one air date), and `covers_all_severity` raises a
repeat that covers every row (one synopsis on every episode) above the rule's default.
"""

from __future__ import annotations

import difflib

import pandas as pd

from ..arrow_ops import collapse_space
from ..model import Evidence, Severity
from ..tables import Tables
from .base import (Context, Hit, Needs, Param, optional_int, as_list, claim_evidence_by_group,
                   select_claims, without_specials)

KIND = "duplicate"
PARAMETERS = {
    "table": Param((str,), default="claims", allowed=("claims", "listings")),
    "field": Param((str,), help="claims: the field whose values must not repeat"),
    "columns": Param((list,), help="listings: the columns that together must not repeat"),
    "within": Param((str,), default="listing", allowed=("listing", "catalogue")),
    "min_length": Param((int,), default=0, help="ignore values shorter than this"),
    "exclude": Param((str,), help="regular expression: values it matches are ignored"),
    "covers_all": Param((bool,), default=False),
    "min_rows": Param((int,), default=2, help="smallest group worth judging"),
    "covers_all_severity": Param((str,), allowed=("error", "warning", "info")),
    "specials": Param((bool,), default=True,
                      help="claims: False leaves out the claims of special episodes"),
    "same": Param((list,), help="listings: claim fields that must also agree where both state "
                                "them (descriptions nearly: a typo fixed, one copy truncated)"),
}
VARIABLES = {"count", "total", "value", "lines", "copies"}


def scope(params: dict) -> str:
    """Repeats within a listing are the listing's; repeated listings, or a value repeated
    across the catalogue, need every listing's rows at once."""
    return "catalogue" if params["table"] == "listings" or params["within"] == "catalogue" \
        else "listing"


def gathers(params: dict) -> Needs:
    """What a catalogue-wide run reads besides the listings table."""
    if params["table"] == "listings":
        return Needs(claims=tuple(as_list(params["same"])))
    return Needs(claims=(params["field"],), episodes=not params["specials"])


def _fold(values: pd.Series) -> pd.Series:
    return collapse_space(values.fillna("").str.replace("\u00a0", " ", regex=False).str.casefold())


def _listing_evidence_by_group(rows: pd.DataFrame, keys: list[str]) -> dict[tuple, list[Evidence]]:
    ordered = rows.sort_values(keys + ["path", "line"], kind="stable")
    grouped: dict[tuple, list[Evidence]] = {}
    for key, row in zip(ordered[keys].itertuples(index=False, name=None), ordered.itertuples(index=False)):
        grouped.setdefault(key, []).append(Evidence(
            path=row.path, line=optional_int(row.line),
            column=1 if not pd.isna(row.line) else None,
            text="" if pd.isna(row.title) else row.title, field="title", value=row.key,
            source="listing"))
    return grouped


def _text_key(values: pd.Series) -> pd.Series:
    """Text as an editor compares it: case, punctuation, quotes and white space folded, so
    "middle-aged" and "middle aged", "It's" and "It’s" read alike."""
    return (values.fillna("").str.normalize("NFKC").str.casefold()
            .str.replace(r"[\W_]+", " ", regex=True).str.strip())


def _nearly(a: str, b: str) -> bool:
    """Two folded texts that are one text: equal, one a truncated copy of the other, or one
    with a slip corrected (a few characters in a long text)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= _TRUNCATED_MIN and long.startswith(short):
        return True
    if len(short) < _TYPO_MIN or len(short) < 0.8 * len(long):
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= _NEAR_RATIO and matcher.ratio() >= _NEAR_RATIO


# A truncated copy keeps at least this many characters; a typo fix changes at most 1 in 20.
_TRUNCATED_MIN = 40
_TYPO_MIN = 30
_NEAR_RATIO = 0.95


def _same_listing_clusters(rows: pd.DataFrame, keys: list[str], fields: list[str],
                           claims: pd.DataFrame) -> pd.Series:
    """Which of the listings sharing `keys` are one listing: a label per row.

    Two listings are one when every field of `fields` that both state agrees (descriptions
    nearly, other fields after folding). Only listings that share `keys` are compared, so the
    pairwise work stays within those (small) groups, never across the catalogue.
    """
    labels = pd.Series(range(len(rows)), index=rows.index, dtype="int64")
    candidates = rows[rows.groupby(keys, sort=False)["listing_id"].transform("size") >= 2]
    if candidates.empty:
        return labels
    stated = select_claims(claims, fields, level="listing")
    stated = stated[stated["listing_id"].isin(candidates["listing_id"])
                    & stated["value"].notna()].drop_duplicates(["listing_id", "field"])
    said: dict[str, dict[str, str]] = {}
    for listing_id, field_name, text in zip(stated["listing_id"], stated["field"],
                                            _text_key(stated["value"])):
        if text:
            said.setdefault(listing_id, {})[field_name] = text

    def agree(a: str, b: str) -> bool:
        mine, theirs = said.get(a, {}), said.get(b, {})
        for field_name in set(mine) & set(theirs):
            if field_name == "description":
                if not _nearly(mine[field_name], theirs[field_name]):
                    return False
            elif mine[field_name] != theirs[field_name]:
                return False
        return True

    for _, group in candidates.groupby(keys, sort=False):
        index, ids = list(group.index), list(group["listing_id"])
        root = list(range(len(ids)))

        def find(i: int) -> int:
            while root[i] != i:
                root[i] = root[root[i]]
                i = root[i]
            return i

        for i in range(len(ids)):
            for j in range(i):
                if find(i) != find(j) and agree(ids[i], ids[j]):
                    root[find(i)] = find(j)
        for i, position in enumerate(index):
            labels.at[position] = labels.at[index[find(i)]]
    return labels


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    if params["table"] == "listings":
        rows = tables.listings.copy()
        if rows.empty:  # a run whose every input was unreadable
            return []
        columns = params["columns"] or ["key"]
        # A listing without a title (key column empty) shares no identity with another.
        rows = rows[rows[columns[-1]].fillna("").astype("str") != ""]
        joined = rows[columns[0]].astype("str")
        for column in columns[1:]:
            joined = joined + "|" + rows[column].astype("str")
        rows["folded"] = _fold(joined)
        group_keys = []
        if params["same"]:
            # Two listings that share a title but say different things about themselves
            # ("WHAT / IF" and "What If?", two 2019 shows) are two listings.
            rows["same"] = _same_listing_clusters(rows, ["folded"], as_list(params["same"]),
                                                  tables.claims)
            group_keys = ["same"]
    else:
        rows = select_claims(tables.claims, [params["field"]])
        if not params["specials"]:
            rows = without_specials(rows, tables.episodes)
        rows = rows.copy()
        rows = rows[rows["value"].notna()]
        rows["folded"] = _fold(rows["value"])
        group_keys = ["listing_id"] if params["within"] == "listing" else []
    if params["exclude"]:
        rows = rows[~rows["value" if params["table"] == "claims" else "title"].fillna("")
                    .str.contains(params["exclude"], case=False, regex=True)]
    rows = rows[rows["folded"].str.len() >= max(params["min_length"], 1)]
    if rows.empty:
        return []
    keys = group_keys + ["folded"]
    rows["copies"] = rows.groupby(keys, sort=False)["folded"].transform("size")
    rows["total"] = rows.groupby(group_keys, sort=False)["folded"].transform("size") \
        if group_keys else len(rows)
    repeated = rows[rows["copies"] >= 2]
    if params["covers_all"]:
        repeated = repeated[(repeated["copies"] == repeated["total"])
                            & (repeated["total"] >= params["min_rows"])]
    if repeated.empty:
        return []
    if params["table"] == "listings":
        evidence_of = _listing_evidence_by_group(repeated, keys)
    else:
        evidence_of = claim_evidence_by_group(repeated, keys)
    shown = "title" if params["table"] == "listings" else "text"
    groups = repeated.sort_values(keys + ["path", "line"], kind="stable").groupby(keys, sort=True).agg(
        rows=("folded", "size"), total=("total", "first"), listing_id=("listing_id", "first"),
        shown=(shown, "first"))
    hits = []
    for key, group in zip(groups.index, groups.itertuples(index=False)):
        evidence = evidence_of[key if isinstance(key, tuple) else (key,)]
        covers_all = group.rows == group.total and group.rows >= params["min_rows"]
        severity = None
        if covers_all and params["covers_all_severity"]:
            severity = Severity(params["covers_all_severity"])
        hits.append(Hit(
            path=evidence[0].path, listing_id=group.listing_id, evidence=evidence,
            severity=severity,
            variables={
                "count": int(group.rows), "total": int(group.total),
                "value": _shorten(str(group.shown)),
                "lines": ", ".join(f"{e.line}" for e in evidence if e.line is not None),
                "copies": "; ".join(e.path + (f":{e.line}" if e.line is not None else "")
                                    for e in evidence)}))
    return hits


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
