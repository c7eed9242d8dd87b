"""Episodes tables name their listing by id; the listing itself may come from another input.

Each episodes table makes a stand-in listing per id (marked "stub"). Once every input is
read, a stand-in whose id matches a listing read elsewhere in the run is merged into it: its
episodes and claims move to that listing (episode positions renumbered after the ones it
already has) and the stand-in is dropped, so one title is one listing, not a duplicate.
Every row is visited a fixed number of times: the cost grows with the input, not with
listings x episodes.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from .base import Ingested


def link(results: list[Ingested]) -> None:
    owners: dict[str, dict] = {}
    for result in results:
        for row in result.listings:
            if not row.get("stub"):
                owners.setdefault(str(row["key"]), row)
    next_episode: dict[str, int] = {}
    for result in results:
        for row in result.episodes:
            listing_id = row["listing_id"]
            following = row["episode"] + 1
            if following > next_episode.get(listing_id, 0):
                next_episode[listing_id] = following
        for frame in result.episode_frames:
            for listing_id, following in (frame.groupby("listing_id", sort=False)["episode"].max() + 1).items():
                if following > next_episode.get(listing_id, 0):
                    next_episode[listing_id] = int(following)
    for result in results:
        stubs = {row["listing_id"]: owners[str(row["key"])] for row in result.listings
                 if row.get("stub") and str(row["key"]) in owners}
        if not stubs:
            continue
        moved = Counter(e["listing_id"] for e in result.episodes if e["listing_id"] in stubs)
        for frame in result.episode_frames:
            moved.update(frame["listing_id"][frame["listing_id"].isin(stubs.keys())].value_counts().to_dict())
        offsets: dict[str, int] = {}
        for stub_id, owner in stubs.items():
            offsets[stub_id] = next_episode.get(owner["listing_id"], 0)
            next_episode[owner["listing_id"]] = offsets[stub_id] + moved[stub_id]
        for row in result.episodes:
            if row["listing_id"] in stubs:
                stub_id = row["listing_id"]
                row["listing_id"] = stubs[stub_id]["listing_id"]
                row["episode"] += offsets[stub_id]
        for row in result.claims:
            if row["listing_id"] in stubs:
                stub_id = row["listing_id"]
                row["listing_id"] = stubs[stub_id]["listing_id"]
                if row["episode"] is not None:
                    row["episode"] += offsets[stub_id]
        owner_ids = {stub_id: owner["listing_id"] for stub_id, owner in stubs.items()}
        for frames in (result.episode_frames, result.claim_frames):
            for frame in frames:
                linked = frame["listing_id"].isin(owner_ids.keys())
                if linked.any():
                    stub_ids = frame.loc[linked, "listing_id"].astype("str")
                    frame.loc[linked, "episode"] = frame.loc[linked, "episode"] + stub_ids.map(offsets)
                    frame["listing_id"] = _renamed(frame["listing_id"], linked, stub_ids.map(owner_ids))
        for row in result.problems:
            if row["listing_id"] in stubs:
                row["listing_id"] = stubs[row["listing_id"]]["listing_id"]
        result.listings[:] = [row for row in result.listings if row["listing_id"] not in stubs]


def _renamed(ids: pd.Series, linked: pd.Series, owners: pd.Series) -> pd.Series:
    """`ids` with the `linked` rows' ids replaced by `owners`. A categorical column (as the
    column readers give ids, one code per row) takes the new ids as categories, sorted as
    text is, and forgets the stand-ins' ids."""
    if not isinstance(ids.dtype, pd.CategoricalDtype):
        ids = ids.copy()
        ids.loc[linked] = owners
        return ids
    ids = ids.cat.add_categories(pd.Index(owners.unique()).difference(ids.cat.categories))
    ids.loc[linked] = owners
    ids = ids.cat.remove_unused_categories()
    return ids.cat.reorder_categories(ids.cat.categories.sort_values())
