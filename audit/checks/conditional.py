"""conditional: when a listing makes one claim, it must not also make certain others.

    when:   {field: status, value: running}
    forbid:
      - {field: status, value: ended}
      - {field: last_air_date, older_than_days: 730}

A condition selects claims by field (and optionally value(s), sources, level listing or
episode) and may test dates: `older_than_days` (before the as-of date by more than that),
`after_as_of`, and in `forbid` only `before_when` (earlier than the `when` claim's date).
`specials: false` leaves out the claims of special episodes (a behind-the-scenes special
may air before the premiere).
Year-only dates count as the whole year, so they never trip a test by a day's rounding.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Tables
from .base import (CheckError, Context, Hit, Param, as_list, claim_evidence_by_group,
                   describe_by_group, select_claims, without_specials)

KIND = "conditional"
PARAMETERS = {
    "when": Param((dict,), required=True, help="the condition that makes the others wrong"),
    "forbid": Param((list,), required=True, help="conditions that must not hold with `when`"),
}
VARIABLES = {"when", "conflicts"}
_CONDITION_KEYS = {"field", "value", "values", "level", "sources", "older_than_days",
                   "after_as_of", "before_when", "specials"}


def validate(params: dict) -> None:
    """Called when rules load, so a broken condition fails the run before any input is read."""
    _validate_condition(params["when"], in_forbid=False)
    for condition in params["forbid"]:
        _validate_condition(condition, in_forbid=True)


def _validate_condition(condition: object, *, in_forbid: bool) -> None:
    if not isinstance(condition, dict) or "field" not in condition:
        raise CheckError("each condition must be a mapping with at least 'field'")
    unknown = set(condition) - _CONDITION_KEYS
    if unknown:
        raise CheckError(f"condition has no key {', '.join(sorted(map(repr, unknown)))} "
                         f"(it takes: {', '.join(sorted(_CONDITION_KEYS))})")
    if "before_when" in condition and not in_forbid:
        raise CheckError("'before_when' only makes sense in a forbid condition")
    if condition.get("level", "any") not in ("any", "listing", "episode"):
        raise CheckError("'level' must be any, listing or episode")


def _dates(values: pd.Series, *, end_of_year: bool) -> pd.Series:
    """ISO dates or bare years as timestamps; a year stands for its first or last day."""
    padded = values.where(values.str.len() != 4, values + ("-12-31" if end_of_year else "-01-01"))
    return pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce")


def _select(tables: Tables, condition: dict, ctx: Context) -> pd.DataFrame:
    rows = select_claims(tables.claims, as_list(condition["field"]),
                         level=condition.get("level", "any"), sources=condition.get("sources"))
    if condition.get("specials") is False:
        rows = without_specials(rows, tables.episodes)
    wanted = as_list(condition.get("values")) + as_list(condition.get("value"))
    if wanted:
        rows = rows[rows["value"].str.casefold().isin([str(w).casefold() for w in wanted])]
    if "older_than_days" in condition:
        latest = _dates(rows["value"].fillna(""), end_of_year=True)
        limit = ctx.as_of_timestamp - pd.Timedelta(days=int(condition["older_than_days"]))
        rows = rows[latest < limit]
    if condition.get("after_as_of"):
        earliest = _dates(rows["value"].fillna(""), end_of_year=False)
        rows = rows[earliest > ctx.as_of_timestamp]
    return rows


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    when = _select(tables, params["when"], ctx)
    if when.empty:
        return []
    matched = []
    for condition in params["forbid"]:
        forbidden = _select(tables, condition, ctx)
        forbidden = forbidden[forbidden["listing_id"].isin(when["listing_id"])]
        if condition.get("before_when"):
            pairs = when.merge(forbidden, on="listing_id", suffixes=("_when", ""))
            early = _dates(pairs["value"].fillna(""), end_of_year=True) < _dates(
                pairs["value_when"].fillna(""), end_of_year=False)
            forbidden = pairs.loc[early, forbidden.columns].drop_duplicates()
        matched.append(forbidden)
    conflicts = pd.concat(matched, ignore_index=True).drop_duplicates()
    if conflicts.empty:
        return []
    stated = when[when["listing_id"].isin(conflicts["listing_id"])]
    evidence = claim_evidence_by_group(pd.concat([stated, conflicts], ignore_index=True),
                                       ["listing_id"])
    said, found = describe_by_group(stated, ["listing_id"]), describe_by_group(conflicts, ["listing_id"])
    paths = stated.sort_values(["listing_id", "line", "column"]).groupby("listing_id")["path"].first()
    return [Hit(path=path, listing_id=listing_id, evidence=evidence[(listing_id,)],
                variables={"when": "; ".join(said[(listing_id,)]),
                           "conflicts": "; ".join(found[(listing_id,)])})
            for listing_id, path in paths.items()]
