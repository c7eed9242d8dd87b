"""sequence: episodes in order. `numbers`: no number repeated or skipped within a season;
`dates`: air dates never go back in time as episode numbers (and seasons) go up.

Specials and episodes without a number stay out; a list that starts at episode 5 is a
partial list, not a gap, so only numbers between the first and the last listed are missing.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Tables
from .base import Context, Hit, Param, claim_evidence

KIND = "sequence"
PARAMETERS = {
    "order": Param((str,), required=True, allowed=("numbers", "dates")),
}
VARIABLES = {"details"}


def _episodes(tables: Tables) -> pd.DataFrame:
    episodes = tables.episodes[~tables.episodes["special"] & tables.episodes["number"].notna()]
    return episodes.assign(season_key=episodes["season"].fillna(-1))


def _season_label(season_key: int) -> str:
    return "" if season_key < 0 else f"season {season_key} "


def _evidence(tables: Tables, episodes: pd.DataFrame, field: str):
    claims = tables.claims[tables.claims["field"] == field]
    keys = episodes[["listing_id", "episode"]].astype({"episode": "Int64"})
    return claim_evidence(claims.merge(keys, on=["listing_id", "episode"]))


def _numbers(tables: Tables) -> list[Hit]:
    episodes = _episodes(tables)
    hits = []
    counts = episodes.groupby(["listing_id", "season_key", "number"]).size()
    for (listing_id, season_key, number), count in counts[counts > 1].items():
        same = episodes[(episodes["listing_id"] == listing_id)
                        & (episodes["season_key"] == season_key) & (episodes["number"] == number)]
        hits.append(Hit(path=same["path"].iloc[0], listing_id=listing_id,
                        evidence=_evidence(tables, same, "episode_number"),
                        variables={"details": f"{_season_label(season_key)}lists episode "
                                              f"{number} {count} times"}))
    unique = episodes.drop_duplicates(["listing_id", "season_key", "number"]).sort_values(
        ["listing_id", "season_key", "number"])
    unique = unique.assign(previous=unique.groupby(["listing_id", "season_key"])["number"].shift())
    gaps = unique[unique["previous"].notna() & (unique["number"] - unique["previous"] > 1)]
    for row in gaps.itertuples(index=False):
        first_missing, last_missing = int(row.previous) + 1, int(row.number) - 1
        missing = str(first_missing) if first_missing == last_missing \
            else f"{first_missing}-{last_missing}"
        around = episodes[(episodes["listing_id"] == row.listing_id)
                          & (episodes["season_key"] == row.season_key)
                          & episodes["number"].isin([row.previous, row.number])]
        hits.append(Hit(path=row.path, listing_id=row.listing_id,
                        evidence=_evidence(tables, around, "episode_number"),
                        variables={"details": f"{_season_label(row.season_key)}skips episode "
                                              f"{missing} (lists {int(row.previous)}, then "
                                              f"{int(row.number)})"}))
    return hits


def _dates(tables: Tables) -> list[Hit]:
    episodes = _episodes(tables)
    dated = episodes[episodes["air_date"].notna()].sort_values(
        ["listing_id", "season_key", "number"])
    previous = dated.groupby("listing_id")[["air_date", "episode", "number", "season_key"]].shift()
    back = dated[previous["air_date"].notna() & (dated["air_date"] < previous["air_date"])]
    hits = []
    for index, row in back.iterrows():
        before = previous.loc[index]
        pair = episodes[(episodes["listing_id"] == row["listing_id"])
                        & episodes["episode"].isin([int(before["episode"]), row["episode"]])]
        hits.append(Hit(
            path=row["path"], listing_id=row["listing_id"],
            evidence=_evidence(tables, pair, "air_date"),
            variables={"details": (
                f"{_season_label(row['season_key'])}episode {row['number']} aired "
                f"{row['air_date']:%Y-%m-%d}, before {_season_label(before['season_key'])}"
                f"episode {int(before['number'])} ({before['air_date']:%Y-%m-%d})")}))
    return hits


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    return _numbers(tables) if params["order"] == "numbers" else _dates(tables)
