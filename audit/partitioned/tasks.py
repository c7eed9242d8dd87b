"""What a worker does: read a partition, and audit a unit of partitions with the checks that
read one listing at a time. Plain functions of picklable values; nothing here imports Dask,
so the same code runs in a worker process, a thread, or this one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..checks.base import Needs
from ..engine import Hits, check_findings
from ..ingest import MAX_BYTES, unreadable
from ..ingest.base import Ingested, UnreadableInput
from ..ingest.link import link
from ..pipeline import evaluate_isolated, file_entry, parse_input, read_input
from ..rollup import ColumnCounts, column_counts
from ..ruleset import Rule
from ..tables import Tables, build_tables
from .order import tagged
from .plan import Partition, padded


def read(batch: list[Partition], mapping: dict | None) -> list[Ingested]:
    return [read_partition(partition, mapping) for partition in batch]


def read_partition(partition: Partition, mapping: dict | None) -> Ingested:
    """One partition's rows, exactly as the whole file's read gives them for its lines (listing
    ids numbered from 1 within the partition: renumbered when its unit is audited)."""
    source = partition.source
    if partition.reason is not None:
        return unreadable(partition.label, UnreadableInput(partition.reason))
    if partition.data is not None:
        return parse_input(source, partition.data, mapping)
    if partition.row_groups is not None:
        return parse_input(source, partition.row_groups, mapping)
    if partition.lines is None:
        return read_input(source, None, mapping)
    try:
        with source.path.open("rb") as handle:  # type: ignore[union-attr]
            head = handle.read(partition.header)
            handle.seek(partition.start)
            body = handle.read(min(partition.end - partition.start, MAX_BYTES))
    except OSError as exc:
        return unreadable(source.label, UnreadableInput(f"cannot read the file: {exc.strerror}"))
    return parse_input(source, padded(partition, head, body), mapping)


@dataclass(frozen=True)
class Outline:
    """What the driver needs of a partition to plan the units: its listing rows (stand-ins
    included: they take ordinals too), the keys its stand-in listings name, and whether it
    could be read."""

    listings: int
    stubs: frozenset[str]
    skipped: bool


def outline(batch: list[Ingested]) -> list[Outline]:
    return [Outline(len(result.listings),
                    frozenset(str(row["key"]) for row in result.listings if row.get("stub")),
                    result.skipped_reason is not None) for result in batch]


def owned(batch: list[Ingested], keys: frozenset[str]) -> list[frozenset[str]]:
    """Per partition, which of `keys` name one of its listings (not a stand-in)."""
    return [frozenset(str(row["key"]) for row in result.listings
                      if not row.get("stub") and str(row["key"]) in keys) for result in batch]


@dataclass
class UnitResult:
    """A unit's share of the run: its listing-scoped findings, what the catalogue-wide checks
    read, the counts roll-ups need, and the report's file entries."""

    found: Hits
    files: list[tuple[int, dict[str, Any]]]
    listings: pd.DataFrame
    claims: pd.DataFrame
    episodes: pd.DataFrame | None
    counts: ColumnCounts
    episode_count: int = 0
    # Inputs that broke the tables or a check, each with its LA001 reason (evaluate_isolated)
    culprits: dict[str, str] = field(default_factory=dict)


@dataclass
class Piece:
    """Some of a partition's stand-in listings with their episodes, claims and problems, sent
    to the unit that holds the listings they join (the shuffle of an episodes table), or the
    rest of it, kept. `claims`: each claim's row in the partition's claims (tables.py joins
    a partition's claim rows, then its claim frames); None: the whole partition."""

    part: Ingested
    position: int
    claims: np.ndarray | None


def split(batch: list[Ingested], positions: list[int], moves: dict[str, int], home: int
          ) -> dict[int, list[Piece]]:
    """The batch's partitions cut by destination unit: the stand-in listings whose key
    `moves` names (with everything that names them) to that unit, the rest to `home`."""
    out: dict[int, list[Piece]] = {}
    for part, position in zip(batch, positions):
        dest = {row["listing_id"]: moves[str(row["key"])] for row in part.listings
                if row.get("stub") and str(row["key"]) in moves}
        for unit, piece in _pieces(part, position, dest, home).items():
            out.setdefault(unit, []).append(piece)
    return out


def pick(pieces: dict[int, list[Piece]], unit: int) -> list[Piece]:
    return pieces.get(unit, [])


def _pieces(part: Ingested, position: int, dest: dict[str, int], home: int) -> dict[int, Piece]:
    if not dest:
        return {home: Piece(part, position, None)}

    def unit_of(listing_id: Any) -> int:
        return dest.get(listing_id, home) if isinstance(listing_id, str) else home

    units = sorted({home, *dest.values()})
    cut = {unit: Ingested(part.path, part.format, skipped_reason=part.skipped_reason)
           for unit in units}
    claim_rows: dict[int, list[np.ndarray]] = {unit: [] for unit in units}
    for name in ("listings", "episodes", "problems"):
        for row in getattr(part, name):
            getattr(cut[unit_of(row.get("listing_id"))], name).append(row)
    listed = np.asarray([unit_of(row["listing_id"]) for row in part.claims], dtype="int64")
    for unit, row in zip(listed, part.claims):
        cut[int(unit)].claims.append(row)
    for unit in units:
        claim_rows[unit].append(np.flatnonzero(listed == unit))
    for frame in part.episode_frames:
        target = frame["listing_id"].map(dest).fillna(home).astype("int64").to_numpy()
        for unit in units:
            if (target == unit).any():
                cut[unit].episode_frames.append(frame[target == unit])
    start = len(part.claims)
    for frame in part.claim_frames:
        target = frame["listing_id"].map(dest).fillna(home).astype("int64").to_numpy()
        for unit in units:
            chosen = target == unit
            if chosen.any():
                cut[unit].claim_frames.append(frame[chosen])
                claim_rows[unit].append(start + np.flatnonzero(chosen))
        start += len(frame)
    return {unit: Piece(cut[unit], position, np.concatenate(claim_rows[unit]))
            for unit in units}


def evaluate(batches: list[list[Ingested]], positions: list[int], offsets: list[int],
             file_listings: dict[str, int], rules: list[Rule], as_of: dt.date,
             settings: dict[str, dict[str, Any]] | None, needs: Needs,
             culprits: dict[str, tuple[str, int]] | None = None,
             pieces: list[list[Piece]] = ()) -> UnitResult:
    """Link, tabulate and run the listing-scoped checks over partitions that belong together
    (a stand-in listing with its owner), as the whole run would do for them. `positions`
    and `offsets` are per partition of the batches, in order; `pieces`: parts of other
    batches' partitions sent here (split), placed among them by position. `culprits`: files
    found to break this tool elsewhere in the run (file -> (LA001 reason, its first
    partition's position)): once linked, as one process links before it isolates, each is
    its LA001 alone, in the place of its first partition."""
    parts = [part for batch in batches for part in batch]
    for part, offset in zip(parts, offsets):
        if offset:
            _renumber(part, offset)
    rows: list[np.ndarray | None] = [None] * len(parts)
    placed = [(position, index, part, row) for index, (position, part, row)
              in enumerate(zip(positions, parts, rows))]
    for piece in (piece for some in pieces for piece in some):
        placed.append((piece.position, len(placed), piece.part, piece.claims))
    placed.sort(key=lambda item: item[:2])
    positions = [item[0] for item in placed]
    parts = [item[2] for item in placed]
    rows = [item[3] for item in placed]
    link(parts)
    if culprits:
        parts, positions, rows = _without(parts, positions, rows, culprits)

    def run(some: list[Ingested]) -> tuple[Tables, Hits]:
        tables = build_tables(some, listings_per_file=file_listings)
        return tables, check_findings(rules, tables, as_of=as_of, settings=settings,
                                      scope="listing")

    kept, (tables, found) = evaluate_isolated(parts, run)
    broken = {part.path: str(alone.skipped_reason) for part, alone in zip(parts, kept)
              if alone is not part}
    listings = tables.listings.assign(_position=np.repeat(
        np.asarray(positions, dtype="int64"), [len(part.listings) for part in kept]))
    rows = [row if alone is part else None for row, part, alone in zip(rows, parts, kept)]
    claims = tagged(tables.claims, kept, positions, needs.claims, rows)
    return UnitResult(
        found=found,
        files=[(position, file_entry(part)) for position, part in zip(positions, kept)],
        listings=listings, claims=claims,
        episodes=tables.episodes if needs.episodes else None,
        counts=column_counts(tables), episode_count=len(tables.episodes), culprits=broken)


def _without(parts: list[Ingested], positions: list[int], rows: list[np.ndarray | None],
             culprits: dict[str, tuple[str, int]]
             ) -> tuple[list[Ingested], list[int], list[np.ndarray | None]]:
    """The partitions with each culprit file's first one replaced by its LA001, its others
    left out. (A shuffled file's pieces share its position: each unit that holds one gives
    the same LA001, which the run's findings and file entries count once.)"""
    kept, places, kept_rows = [], [], []
    for part, position, row in zip(parts, positions, rows):
        culprit = culprits.get(part.path)
        if culprit is not None:
            reason, first = culprit
            if position != first:
                continue
            part, row = unreadable(part.path, UnreadableInput(reason)), None
        kept.append(part)
        places.append(position)
        kept_rows.append(row)
    return kept, places, kept_rows


def _renumber(result: Ingested, offset: int) -> None:
    """Listing ids of a partition numbered after the listings of its file's earlier
    partitions: "titles.csv#3" of the second partition is the file's listing 3 + offset."""
    ids: dict[str, str] = {}
    for row in result.listings:
        old = row["listing_id"]
        stem, _, ordinal = old.rpartition("#")
        new = f"{stem}#{int(ordinal) + offset}"
        ids[old] = new
        row["listing_id"] = new
        if row["key"] == old:  # a listing identified by nothing but its place in the file
            row["key"] = new
    if not ids:
        return
    for rows in (result.episodes, result.claims, result.problems):
        for row in rows:
            if row.get("listing_id") in ids:
                row["listing_id"] = ids[row["listing_id"]]
    for frame in (*result.episode_frames, *result.claim_frames):
        renamed = frame["listing_id"].map(ids)
        frame["listing_id"] = renamed.where(renamed.notna(), frame["listing_id"])
