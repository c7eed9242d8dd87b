"""consistency: every claim of a field made for one listing (and scope) must agree.

Numbers agree when they differ by at most `tolerance` or by at most `relative_tolerance`
times the larger value ("within 1% or 10 votes"). An abbreviated number stands for every
value it rounds: "1.2K" is anything from 1,150 to 1,250, so it agrees with "1,234".
Dates agree when all full dates lie within `tolerance` days of each other and every bare year
is a year those dates span, so "2007" and "September 23, 2007" agree; text agrees ignoring case and
surrounding space.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Tables
from .base import (Context, Hit, Param, as_list, claim_evidence_by_group, describe_by_group,
                   select_claims)

KIND = "consistency"
PARAMETERS = {
    "field": Param((str, list), required=True, help="claim field(s) whose values must agree"),
    "compare": Param((str,), default="number", allowed=("number", "date", "text")),
    "tolerance": Param((int, float), default=0,
                       help="largest difference still agreeing (for dates: in days)"),
    "relative_tolerance": Param((int, float), default=0,
                                help="largest difference still agreeing, as a share of the "
                                     "larger value (0.01 is 1%)"),
    "sources": Param((list,), default=None, help="only claims from these sources"),
    "tolerance_sources": Param((list,), default=None,
                               help="dates: only claims from these sources get the tolerance "
                                    "(a record's fields a time zone apart); others must match"),
    "airing_days": Param((int,), default=None,
                         help="counts: a running listing (or its season) whose newest listed "
                              "episode aired this many days before the as-of date or later is "
                              "still airing, "
                              "so listing fewer episodes than stated is no conflict"),
}
VARIABLES = {"details", "values", "field"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"


# "1.2K", "4.1M": the text of a number rounded to a unit; half that unit is its rounding.
_ABBREVIATED = r"^\s*[-+]?\d+(?:\.(?P<decimals>\d+))?\s*(?P<unit>[KkMm])\s*$"
_UNIT_SIZES = {"k": 1e3, "m": 1e6}


def _rounding(rows: pd.DataFrame) -> pd.Series:
    found = rows["text"].fillna("").astype(str).str.extract(_ABBREVIATED)
    unit = found["unit"].str.lower().map(_UNIT_SIZES)
    places = found["decimals"].str.len().fillna(0)
    return (0.5 * unit / 10.0 ** places).fillna(0.0).astype(float)


def _conflicting(rows: pd.DataFrame, compare: str, tolerance: float,
                 relative_tolerance: float = 0.0,
                 tolerance_sources: list[str] | None = None) -> pd.Series:
    """A boolean per (listing_id, scope) group: do its claims disagree?"""
    if compare == "number":
        rounding = _rounding(rows)
        bounds = rows.assign(low=rows["number"] - rounding, high=rows["number"] + rounding,
                             size=rows["number"].abs())
        grouped = bounds.groupby(["listing_id", "scope"], sort=True)
        # The gap between the claims furthest apart, each read as the range it may round.
        gap = grouped["low"].max() - grouped["high"].min()
        allowed = (grouped["size"].max() * relative_tolerance).clip(lower=tolerance)
        return gap > allowed + 1e-9
    if compare == "date":
        # Full dates agree within `tolerance` days (one record's two fields a time zone
        # apart); a bare year agrees with the years those dates span.
        full = pd.to_datetime(rows["value"].where(rows["value"].str.len() == 10),
                              format="%Y-%m-%d", errors="coerce")
        strict = full.notna() & (~rows["source"].isin(tolerance_sources)
                                 if tolerance_sources else False)
        dated = rows.assign(date=full, year=pd.to_numeric(rows["value"].str[:4], errors="coerce"),
                            strict=strict)
        grouped = dated.groupby(["listing_id", "scope"], sort=True)
        # The slack is for dates the given sources state; a date written elsewhere must match.
        slack = pd.to_timedelta(grouped["strict"].any().map({True: 0, False: tolerance}), unit="D")
        first, last = grouped["date"].min(), grouped["date"].max()
        years_low, years_high = (first - slack).dt.year, (last + slack).dt.year
        low, high = grouped["year"].min(), grouped["year"].max()
        years_apart = ((low < years_low) | (high > years_high)).where(first.notna(), low != high)
        return ((last - first) > slack).fillna(False) | years_apart.astype(bool)
    folded = rows.assign(folded=rows["value"].str.strip().str.casefold())
    return folded.groupby(["listing_id", "scope"], sort=True)["folded"].nunique() > 1


def _still_airing(rows: pd.DataFrame, tables: Tables, ctx: Context, days: int) -> pd.Series:
    """Listed counts of a running listing (or its season) still on the air that fall short
    of a stated count: the episodes still to come are not listed yet (Good Girls season 3,
    three weeks into a 16-episode season)."""
    status = select_claims(tables.claims, ["status"], level="listing")
    running = set(status.loc[status["value"] == "running", "listing_id"]) - set(
        status.loc[status["value"] == "ended", "listing_id"])
    listed = (rows["source"] == "listed") & rows["listing_id"].isin(running)
    if not listed.any():
        return pd.Series(False, index=rows.index)
    episodes = tables.episodes
    regular = episodes[~episodes["special"] & episodes["air_date"].notna()]
    seasoned = regular[regular["season"].notna()]
    newest = pd.concat([
        regular.groupby("listing_id")["air_date"].max().rename("newest").reset_index()
        .assign(scope=""),
        seasoned.assign(scope="season " + seasoned["season"].astype("Int64").astype("str"))
        .groupby(["listing_id", "scope"])["air_date"].max().rename("newest").reset_index()])
    newest = newest.set_index(["listing_id", "scope"])["newest"]
    keys = pd.MultiIndex.from_frame(rows[["listing_id", "scope"]])
    stated_most = rows[~listed].groupby(["listing_id", "scope"])["number"].max()
    short = listed & (pd.Series(stated_most.reindex(keys).to_numpy(), index=rows.index)
                      > rows["number"])
    if not short.any():
        return short  # the audit date plays no part: leave the messages undated
    recent = pd.Series(newest.reindex(keys).to_numpy(), index=rows.index) >= (
        ctx.as_of_timestamp - pd.Timedelta(days=days))
    return short & recent


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    rows = select_claims(tables.claims, as_list(params["field"]), level="listing",
                         sources=params["sources"])
    if params["airing_days"] is not None and params["compare"] == "number":
        rows = rows[~_still_airing(rows, tables, ctx, params["airing_days"])]
    if params["compare"] == "number":
        rows = rows[rows["number"].notna()]
    else:
        rows = rows[rows["value"].notna()]
    if rows.empty:
        return []
    conflicting = _conflicting(rows, params["compare"], float(params["tolerance"]),
                               float(params["relative_tolerance"]), params["tolerance_sources"])
    bad_keys = conflicting[conflicting].index
    if bad_keys.empty:
        return []
    keys = ["listing_id", "scope"]
    bad = rows.set_index(keys).loc[bad_keys].reset_index().sort_values(
        keys + ["line", "column"], kind="stable")
    evidence = claim_evidence_by_group(bad, keys)
    described = describe_by_group(bad, keys)
    groups = bad.groupby(keys, sort=True).agg(
        path=("path", "first"), field=("field", "first"),
        values=("value", lambda v: ", ".join(dict.fromkeys(v))))
    hits = []
    for (listing_id, scope), group in groups.iterrows():
        details = "; ".join(described[(listing_id, scope)])
        hits.append(Hit(
            path=group["path"], listing_id=listing_id, evidence=evidence[(listing_id, scope)],
            variables={"details": f"{scope}: {details}" if scope else details,
                       "values": group["values"], "field": group["field"]}))
    return hits
