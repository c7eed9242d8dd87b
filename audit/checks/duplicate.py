"""duplicate: one value repeated where each should be its own.

Over claims (a field such as synopsis, within each listing or across the catalogue) or over
listings (key columns, across every input of the run). Values are compared after folding
case and white space (U+00A0 included). `covers_all` reports only a value that every row of
its group carries (all episodes on one air date), and `covers_all_severity` raises a
repeat that covers every row (one synopsis on every episode) above the rule's default.
"""

from __future__ import annotations

import pandas as pd

from ..model import Evidence, Severity
from ..tables import Tables
from .base import Context, Hit, Param, optional_int, as_list, claim_evidence_by_group, select_claims

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
    "same": Param((list,), help="listings: claim fields that must also agree (first statement)"),
}
VARIABLES = {"count", "total", "value", "lines", "copies"}


def _fold(values: pd.Series) -> pd.Series:
    return (values.fillna("").str.replace("\u00a0", " ", regex=False)
            .str.casefold().str.split().str.join(" "))


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


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    if params["table"] == "listings":
        rows = tables.listings.copy()
        if rows.empty:  # a run whose every input was unreadable
            return []
        columns = params["columns"] or ["key"]
        joined = rows[columns[0]].astype("str")
        for column in columns[1:]:
            joined = joined + "|" + rows[column].astype("str")
        rows["folded"] = _fold(joined)
        group_keys = []
        if params["same"]:
            # Two listings that share a title but say different things about themselves
            # ("WHAT / IF" and "What If?", two 2019 shows) are two listings.
            stated = select_claims(tables.claims, as_list(params["same"]), level="listing")
            stated = stated.drop_duplicates(["listing_id", "field"])
            said = _fold(stated["value"]).groupby(stated["listing_id"]).agg("|".join)
            rows["same"] = rows["listing_id"].map(said.astype("object")).astype("object").fillna("")
            group_keys = ["same"]
    else:
        rows = select_claims(tables.claims, [params["field"]]).copy()
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
