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
from .base import Context, Hit, Param, _optional_int, claim_evidence, select_claims

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
}
VARIABLES = {"count", "total", "value", "lines", "copies"}


def _fold(values: pd.Series) -> pd.Series:
    return (values.fillna("").str.replace("\u00a0", " ", regex=False)
            .str.casefold().str.split().str.join(" "))


def _listing_evidence(rows: pd.DataFrame) -> list[Evidence]:
    return [Evidence(path=r.path, line=_optional_int(r.line), column=1 if not pd.isna(r.line) else None,
                     text="" if pd.isna(r.title) else r.title, field="title", value=r.key,
                     source="listing")
            for r in rows.sort_values(["path", "line"], kind="stable").itertuples(index=False)]


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    if params["table"] == "listings":
        rows = tables.listings.copy()
        columns = params["columns"] or ["key"]
        rows["folded"] = _fold(rows[columns].astype("str").agg("|".join, axis=1))
        group_keys: list[str] = []
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
    hits = []
    for _, group in repeated.groupby(keys, sort=True):
        covers_all = len(group) == int(group["total"].iloc[0]) and len(group) >= params["min_rows"]
        if params["table"] == "listings":
            evidence = _listing_evidence(group)
            value = group["title"].iloc[0]
        else:
            evidence = claim_evidence(group)
            value = group["text"].iloc[0]
        first = evidence[0]
        lines = ", ".join(f"{e.line}" for e in evidence if e.line is not None)
        copies = "; ".join(f"{e.path}" + (f":{e.line}" if e.line is not None else "") for e in evidence)
        severity = None
        if covers_all and params["covers_all_severity"]:
            severity = Severity(params["covers_all_severity"])
        hits.append(Hit(
            path=first.path, listing_id=group["listing_id"].iloc[0], evidence=evidence,
            severity=severity,
            variables={"count": len(group), "total": int(group["total"].iloc[0]),
                       "value": _shorten(str(value)), "lines": lines, "copies": copies}))
    return hits


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
