"""conditional: when a listing makes one claim, it must not also make certain others.

    when:   {field: status, value: running}
    also:   [{field: runtime, max: 3}]          # optional: further claims the listing must make
    forbid:
      - {field: status, value: ended}
      - {field: last_air_date, older_than_days: 730}
    unless: [{field: season_count}]             # optional: claims that make it all right

A condition selects claims by field (and optionally value(s), sources, level listing or
episode), may bound their number (`min`, `max`) or match their text (`matches`, a regular
expression searched case-insensitively), and may test dates: `older_than_days` (before the
as-of date by more than that), `after_as_of`, and in `forbid` only `before_when` (earlier than
the `when` claim's date), and `specials: false` leaves out the claims of special episodes (a
behind-the-scenes special may air before the premiere). Year-only dates count as the whole
year, so they never trip a test by a day's rounding. A listing is reported when it meets `when` and every `also` condition,
meets a `forbid` condition, and meets no `unless` condition.
"""

from __future__ import annotations

import re

import pandas as pd

from ..arrow_ops import among
from ..tables import Tables
from .base import (CheckError, Context, Hit, Param, as_list, claim_evidence_by_group,
                   describe_by_group, select_claims, without_specials)
from .prefilter import contains

KIND = "conditional"
PARAMETERS = {
    "when": Param((dict,), required=True, help="the condition that makes the others wrong"),
    "forbid": Param((list,), required=True, help="conditions that must not hold with `when`"),
    "also": Param((list,), default=[], help="conditions that must hold too for `when` to apply"),
    "unless": Param((list,), default=[], help="conditions under which the others are all right"),
}
VARIABLES = {"when", "also", "conflicts"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"
_CONDITION_KEYS = {"field", "value", "values", "level", "sources", "older_than_days",
                   "after_as_of", "before_when", "min", "max", "matches", "specials"}


def validate(params: dict) -> None:
    """Called when rules load, so a broken condition fails the run before any input is read."""
    _validate_condition(params["when"], in_forbid=False)
    for condition in params["forbid"]:
        _validate_condition(condition, in_forbid=True)
    for condition in [*params["also"], *params["unless"]]:
        _validate_condition(condition, in_forbid=False)


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
    for bound in ("min", "max"):
        if bound in condition and (isinstance(condition[bound], bool)
                                   or not isinstance(condition[bound], (int, float))):
            raise CheckError(f"'{bound}' must be a number, not {condition[bound]!r}")
    if "matches" in condition:
        try:
            re.compile(str(condition["matches"]))
        except re.error as exc:
            raise CheckError(f"invalid 'matches' regex: {exc}") from None


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
    if "min" in condition:
        rows = rows[rows["number"] >= condition["min"]]
    if "max" in condition:
        rows = rows[rows["number"] <= condition["max"]]
    if "matches" in condition:
        rows = rows[contains(rows["text"].fillna(""), f"(?si){condition['matches']}")]
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
        return []  # most listings state no `when`: nothing else to read
    required = [_select(tables, condition, ctx) for condition in params["also"]]
    for rows in required:
        when = when[among(when["listing_id"], rows["listing_id"])]
    for condition in params["unless"]:
        when = when[~among(when["listing_id"], _select(tables, condition, ctx)["listing_id"])]
    if when.empty:
        return []
    matched = []
    for condition in params["forbid"]:
        forbidden = _select(tables, condition, ctx)
        forbidden = forbidden[among(forbidden["listing_id"], when["listing_id"])]
        if condition.get("before_when"):
            pairs = when.merge(forbidden, on="listing_id", suffixes=("_when", ""))
            early = _dates(pairs["value"].fillna(""), end_of_year=True) < _dates(
                pairs["value_when"].fillna(""), end_of_year=False)
            forbidden = pairs.loc[early, forbidden.columns].drop_duplicates()
        matched.append(forbidden)
    conflicts = pd.concat(matched, ignore_index=True).drop_duplicates()
    if conflicts.empty:
        return []
    listed = conflicts["listing_id"]
    stated = when[when["listing_id"].isin(listed)]
    # What else made the rule apply is evidence too ("a movie", "of 2 minutes").
    also = pd.concat([stated.iloc[:0], *required], ignore_index=True)
    also = also[also["listing_id"].isin(listed)].drop_duplicates()
    evidence = claim_evidence_by_group(
        pd.concat([stated, also, conflicts], ignore_index=True).drop_duplicates(), ["listing_id"])
    said, found = describe_by_group(stated, ["listing_id"]), describe_by_group(conflicts, ["listing_id"])
    besides = describe_by_group(also, ["listing_id"]) if not also.empty else {}
    paths = stated.sort_values(["listing_id", "line", "column"]).groupby("listing_id")["path"].first()
    hits = []
    for listing_id, path in paths.items():
        variables = {"when": "; ".join(said[(listing_id,)]),
                     "conflicts": "; ".join(found[(listing_id,)])}
        if params["also"]:
            variables["also"] = "; ".join(besides.get((listing_id,), []))
        hits.append(Hit(path=path, listing_id=listing_id, evidence=evidence[(listing_id,)],
                        variables=variables))
    return hits
