"""Episodes tables name their listing by id; the listing itself may come from another input.

Each episodes table makes a stand-in listing per id (marked "stub"). Once every input is
read, a stand-in whose id matches a listing read elsewhere in the run is merged into it: its
episodes and claims move to that listing (episode positions renumbered after the ones it
already has) and the stand-in is dropped, so one title is one listing, not a duplicate.
"""

from __future__ import annotations

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
            next_episode[row["listing_id"]] = max(next_episode.get(row["listing_id"], 0),
                                                  row["episode"] + 1)
    for result in results:
        stubs = {row["listing_id"]: owners[str(row["key"])] for row in result.listings
                 if row.get("stub") and str(row["key"]) in owners}
        if not stubs:
            continue
        offsets: dict[str, int] = {}
        for stub_id, owner in stubs.items():
            offsets[stub_id] = next_episode.get(owner["listing_id"], 0)
            moved = sum(1 for e in result.episodes if e["listing_id"] == stub_id)
            next_episode[owner["listing_id"]] = offsets[stub_id] + moved
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
        for row in result.problems:
            if row["listing_id"] in stubs:
                row["listing_id"] = stubs[row["listing_id"]]["listing_id"]
        result.listings[:] = [row for row in result.listings if row["listing_id"] not in stubs]
