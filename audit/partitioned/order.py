"""The gathered claims in the order one process tabulates them (tables.build_tables): every
input's claims in run order, then the claims derived from listed episodes (episode and
season counts, first and last air dates), field by field, each field in its own order.

The catalogue-wide checks break ties (rows of one path and line) by the claims' order, so
rows gathered unit by unit (a batch, with the pieces of episodes tables sent to it) must be
put back in it: a piece comes from a partition that other units' partitions sit before or
after, one partition's claims are spread over the units its pieces went to, and each unit
appends its own derived claims after its own read ones. Each unit tags its rows (tagged),
the driver sorts them (ordered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..ingest.base import Ingested

# The derived claims' fields, in the order build_tables appends them (tables._listed_claims).
LISTED = ("episode_count", "season_count", "season_episode_count", "first_air_date",
          "last_air_date")
_TAGS = ["_rank", "_position", "_row"]


def tagged(claims: pd.DataFrame, parts: list[Ingested], positions: list[int],
           fields: tuple[str, ...], rows: list[np.ndarray | None] | None = None) -> pd.DataFrame:
    """A unit's claims of `fields` (of build_tables of `parts`, the partitions at `positions`
    in the run) with what places them in the run: _rank (0: read from an input; 1 and up:
    derived, by field), _position and _row (the partition, and the row within it, of the
    claim, or for a first or last air date of the air date it repeats). `rows`: per part,
    its claims' rows in the partition it was cut from (None: a whole partition)."""
    counts = [len(part.claims) + sum(len(frame) for frame in part.claim_frames) for part in parts]
    read = sum(counts)
    # Compared as the column is (categorical: by codes), never copied out as text: the
    # unit's claims are most of its memory.
    names = claims["field"]
    wanted = names.isin(fields).to_numpy()
    rank = np.zeros(len(claims), dtype="int64")
    position = np.zeros(len(claims), dtype="int64")
    row = np.zeros(len(claims), dtype="int64")
    position[:read] = np.repeat(np.asarray(positions, dtype="int64"), counts)
    given = rows or [None] * len(parts)
    row[:read] = np.concatenate([np.arange(c) if r is None else r
                                 for c, r in zip(counts, given)]) if counts else []
    if len(claims) > read:
        derived = pd.Series(names.iloc[read:].to_numpy(dtype=object))  # the few derived rows
        rank[read:] = derived.map({name: i for i, name in enumerate(LISTED, 1)}).fillna(0) \
            .to_numpy(dtype="int64")
        dated = (derived.isin(LISTED[3:]).to_numpy() & wanted[read:])
        if dated.any():
            # The air date a first or last air date repeats: the first of its listing's air
            # dates with that value and line, as build_tables picks it.
            first = claims.iloc[:read]
            keep = ((names.iloc[:read] == "air_date") & first["value"].notna()).to_numpy()
            keys = ["listing_id", "value", "line"]
            source = first.loc[keep, keys].assign(_p=position[:read][keep], _r=row[:read][keep])
            found = claims.iloc[read:].loc[dated, keys].merge(
                source.drop_duplicates(keys), how="left", on=keys)
            where = read + np.flatnonzero(dated)
            position[where] = found["_p"].fillna(0).to_numpy(dtype="int64")
            row[where] = found["_r"].fillna(0).to_numpy(dtype="int64")
    return claims[wanted].assign(_rank=rank[wanted], _position=position[wanted],
                                 _row=row[wanted])


def ordered(claims: pd.DataFrame) -> pd.DataFrame:
    """Tagged claims of every unit in one process's order, untagged."""
    if "_rank" not in claims.columns:
        return claims
    pieces = [claims[claims["_rank"] == 0].sort_values(["_position", "_row"], kind="stable")]
    for rank, name in enumerate(LISTED, 1):
        rows = claims[claims["_rank"] == rank]
        if rows.empty:
            continue
        if name == "first_air_date":
            rows = rows.sort_values(["value", "line", "_position", "_row"])
        elif name == "last_air_date":
            rows = rows.sort_values(["value", "line", "_position", "_row"],
                                    ascending=[False, True, True, True])
        else:
            # A listing's counts come from one unit: its seasons keep that unit's order.
            rows = rows.sort_values("listing_id", kind="stable")
        pieces.append(rows)
    return pd.concat(pieces, ignore_index=True).drop(columns=_TAGS)
