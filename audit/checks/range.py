"""range: numeric claims within bounds, checked by a pandera schema built from the rule.

    field: rating        min: 0   max: 10
    field: votes         min: 0   integer: true
    field: year          min: 1888   max_years_after_as_of: 5
"""

from __future__ import annotations

import pandera.errors
import pandera.pandas as pa

from ..tables import Tables
from .base import Context, Hit, Param, as_list, claim_evidence_item, select_claims

KIND = "range"
PARAMETERS = {
    "field": Param((str, list), required=True, help="numeric claim field(s) to bound"),
    "min": Param((int, float)),
    "max": Param((int, float)),
    "max_years_after_as_of": Param((int,), help="an upper bound of the as-of year plus this"),
    "integer": Param((bool,), default=False, help="values must be whole numbers"),
}
VARIABLES = {"value", "bounds", "field"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"


def _bounds(params: dict, ctx: Context) -> tuple[float | None, float | None]:
    upper = params["max"]
    if params["max_years_after_as_of"] is not None:
        upper = ctx.as_of.year + params["max_years_after_as_of"]
    return params["min"], upper


def _describe(low: float | None, high: float | None, integer: bool) -> str:
    kind = "a whole number" if integer else "a number"
    if low is not None and high is not None:
        return f"{kind} from {low:g} to {high:g}"
    if low is not None:
        return f"{kind} of at least {low:g}"
    if high is not None:
        return f"{kind} of at most {high:g}"
    return kind


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    rows = select_claims(tables.claims, as_list(params["field"]))
    # What the episode list shows (0 episodes listed under a season) is an observation for
    # the consistency rules to weigh, never a value stated out of range.
    rows = rows[rows["source"] != "listed"]
    rows = rows[rows["number"].notna()]
    if rows.empty:
        return []
    low, high = _bounds(params, ctx)
    checks = []
    if low is not None:
        checks.append(pa.Check.ge(low))
    if high is not None:
        checks.append(pa.Check.le(high))
    if params["integer"]:
        checks.append(pa.Check(lambda s: s == s.round(), element_wise=False, name="integer"))
    schema = pa.DataFrameSchema({"number": pa.Column("float64", checks=checks)})
    try:
        schema.validate(rows[["number"]], lazy=True)
        return []
    except pandera.errors.SchemaErrors as errors:
        bad_index = errors.failure_cases["index"].dropna().unique()
    bounds = _describe(low, high, params["integer"])
    hits = []
    for row in rows.loc[sorted(bad_index)].itertuples(index=False):
        hits.append(Hit(path=row.path, listing_id=row.listing_id,
                        evidence=[claim_evidence_item(row)],
                        variables={"value": row.text, "bounds": bounds,
                                   "field": row.field.replace("_", " ")}))
    return hits
