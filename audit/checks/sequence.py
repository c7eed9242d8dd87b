"""sequence: episodes in order. `numbers`: no number repeated or skipped within a season;
`dates`: air dates never go back in time as episode numbers (and seasons) go up.

Specials and episodes without a number stay out; a list that starts at episode 5 is a
partial list, not a gap, so only numbers between the first and the last listed are missing.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Tables
from .base import Context, Hit, Param, claim_evidence_by_group

KIND = "sequence"
PARAMETERS = {
    "order": Param((str,), required=True, allowed=("numbers", "dates")),
}
VARIABLES = {"details"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"


def _episodes(tables: Tables) -> pd.DataFrame:
    episodes = tables.episodes[~tables.episodes["special"] & tables.episodes["number"].notna()]
    return episodes.assign(season_key=episodes["season"].fillna(-1))


def _season_label(season_key: int) -> str:
    return "" if season_key < 0 else f"season {season_key} "


def _evidence(tables: Tables, members: pd.DataFrame, field: str) -> dict[tuple, list]:
    """Evidence of every finding at once: `members` pairs a finding number with the episodes
    (listing_id, episode) it is about; one merge and one sorted pass serve all findings."""
    claims = tables.claims[tables.claims["field"] == field]
    keys = members.astype({"episode": "Int64"})
    return claim_evidence_by_group(claims.merge(keys, on=["listing_id", "episode"]), ["finding"])


def _numbers(tables: Tables) -> list[Hit]:
    episodes = _episodes(tables)
    group = ["listing_id", "season_key", "number"]
    repeated = episodes[episodes.groupby(group)["episode"].transform("size") > 1]
    repeats = repeated.groupby(group, sort=True).agg(count=("episode", "size"), path=("path", "first"))
    repeats["finding"] = range(len(repeats))
    members = repeated.merge(repeats["finding"].reset_index(), on=group)[["finding", "listing_id", "episode"]]

    unique = episodes.drop_duplicates(group).sort_values(group)
    unique = unique.assign(previous=unique.groupby(["listing_id", "season_key"])["number"].shift())
    gaps = unique[unique["previous"].notna() & (unique["number"] - unique["previous"] > 1)]
    if repeats.empty and gaps.empty:
        return []  # the usual case: no evidence to gather
    gaps = gaps.assign(finding=range(len(repeats), len(repeats) + len(gaps)))
    # The episodes on either side of a gap: those numbered `previous` and `number`.
    sides = pd.concat([gaps[["finding", "listing_id", "season_key", "previous"]].rename(
                           columns={"previous": "number"}),
                       gaps[["finding", "listing_id", "season_key", "number"]]])
    members = pd.concat([members, sides.astype({"number": "Int64"}).merge(
        episodes, on=group)[["finding", "listing_id", "episode"]]])
    evidence = _evidence(tables, members, "episode_number")

    hits = []
    for (listing_id, season_key, number), row in repeats.iterrows():
        hits.append(Hit(path=row["path"], listing_id=listing_id,
                        evidence=evidence.get((row["finding"],), []),
                        variables={"details": f"{_season_label(season_key)}lists episode "
                                              f"{number} {row['count']} times"}))
    for row in gaps.itertuples(index=False):
        first_missing, last_missing = int(row.previous) + 1, int(row.number) - 1
        missing = str(first_missing) if first_missing == last_missing \
            else f"{first_missing}-{last_missing}"
        hits.append(Hit(path=row.path, listing_id=row.listing_id,
                        evidence=evidence.get((row.finding,), []),
                        variables={"details": f"{_season_label(row.season_key)}skips episode "
                                              f"{missing} (lists {int(row.previous)}, then "
                                              f"{int(row.number)})"}))
    return hits


def _dates(tables: Tables) -> list[Hit]:
    episodes = _episodes(tables)
    dated = episodes[episodes["air_date"].notna()].sort_values(
        ["listing_id", "season_key", "number"])
    previous = dated.groupby("listing_id")[["air_date", "episode", "number", "season_key"]].shift()
    back_mask = previous["air_date"].notna() & (dated["air_date"] < previous["air_date"])
    if not back_mask.any():
        return []
    back = dated[back_mask].assign(finding=range(int(back_mask.sum())))
    before = previous[back_mask].assign(finding=back["finding"], listing_id=back["listing_id"])
    members = pd.concat([back[["finding", "listing_id", "episode"]],
                         before[["finding", "listing_id", "episode"]]])
    evidence = _evidence(tables, members, "air_date")
    hits = []
    for row, earlier in zip(back.itertuples(index=False), before.itertuples(index=False)):
        hits.append(Hit(
            path=row.path, listing_id=row.listing_id,
            evidence=evidence.get((row.finding,), []),
            variables={"details": (
                f"{_season_label(row.season_key)}episode {row.number} aired "
                f"{row.air_date:%Y-%m-%d}, before {_season_label(earlier.season_key)}"
                f"episode {int(earlier.number)} ({earlier.air_date:%Y-%m-%d})")}))
    return hits


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    return _numbers(tables) if params["order"] == "numbers" else _dates(tables)
