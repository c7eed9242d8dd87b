"""The audit as Dask tasks over partitions of the inputs (`check --workers N`, `--scheduler`),
with the same findings and reports as one process.

1. Plan (plan.py): a partition is a file, a line range of a large CSV or JSONL file, or a
   range of row groups of a large Parquet file; small files are packed into batches.
2. Read: one task per batch; its rows stay on the worker, the driver gets an outline per
   partition (listing count, the keys its stand-in listings name).
3. Shuffle: a stand-in listing of an episodes table whose key a listing of another batch
   owns (ingest/link.py joins them) is cut out of its partition, with its episodes,
   claims and problems, and sent to that batch (tasks.split, tasks.pick).
4. Evaluate: one task per batch links what it holds and what was sent to it, builds the
   tables and runs every check whose kind is listing-scoped (checks/__init__.py:
   scope_of), and returns its findings, its listings, the claims the catalogue-wide checks
   read (tagged with their place in the run: order.py), and its roll-up counts.
5. The driver runs the catalogue-wide checks (duplicate listings, a value repeated across
   the catalogue) once over the gathered rows, then merges everything with engine.finish:
   the same de-duplication, explanations, order and roll-ups as a single process. A file
   that breaks a check is isolated as one process isolates it (pipeline.evaluate_isolated):
   judged alone, it becomes its LA001 and the batches holding it are audited again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from typing import Any, Callable, Iterator

import pandas as pd
import pandera.pandas as pa

from .. import schemas
from ..checks import gathered, scope_of
from ..checks.base import Needs
from ..engine import Hits, check_findings, finish
from ..ingest import Source
from ..ingest.base import PROBLEM_COLUMNS
from ..model import Finding
from ..pipeline import internal_error
from ..progress import Progress
from ..rollup import ColumnCounts
from ..ruleset import Rule
from ..tables import Tables, frame_of
from . import tasks
from .cluster import ClusterError
from .order import ordered
from .plan import PART_BYTES, Partition, batches, partitions as partitions_of, size_of

__all__ = ["audit_partitioned", "ClusterError", "PART_BYTES"]


def audit_partitioned(client: Any, sources: list[Source], unlisted: list[tuple[str, str]],
                      rules: list[Rule], *, as_of: dt.date,
                      settings: dict[str, dict[str, Any]] | None, stdin: bytes | None,
                      mapping: dict | None, progress: Progress,
                      part_bytes: int | None = None
                      ) -> tuple[list[dict[str, Any]], Tables, list[Finding]]:
    """The run's file entries, tables (the listings, and the rows the catalogue-wide checks
    read) and findings. `part_bytes`: the size of a range (default: the environment's
    LISTING_AUDIT_PARTITION_BYTES, else each large file cut for the workers: _range_bytes)."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    fixed = part_bytes or int(os.environ.get("LISTING_AUDIT_PARTITION_BYTES") or 0)
    partitions = partitions_of(sources, unlisted, stdin,
                               fixed or (lambda size: _range_bytes(size, workers)))
    largest = max((size_of(Partition(s, 0)) for s in sources), default=0)
    groups = batches(partitions, _target(workers, partitions,
                                         fixed or _range_bytes(largest, workers)))
    progress.stage("reading partitions", len(partitions))
    reads = [client.submit(tasks.read, batch, mapping, pure=False) for batch in groups]
    outlines = _gathered(client, [client.submit(tasks.outline, r, pure=False) for r in reads],
                         progress, [len(batch) for batch in groups])
    groups, reads, outlines = _whole_where_needed(client, groups, reads, outlines, mapping)
    offsets, file_listings = _ordinals(groups, outlines)
    moves = _moves(client, reads, outlines)
    senders = {unit: sorted(b for b, moved in moves.items() if unit in moved.values() or b == unit)
               for unit in range(len(groups))}
    needs = _needs(rules, settings)

    def split(read: Any, batch: int) -> Any:
        return client.submit(tasks.split, read, [p.position for p in groups[batch]],
                             moves[batch], batch, pure=False)

    splits = {batch: split(reads[batch], batch) for batch in moves}

    def evaluate(unit: int, culprits: dict[str, tuple[str, int]] | None = None) -> Any:
        """A batch's audit with the pieces of episodes tables sent to it. Audited again
        (culprits), it reads its partitions and theirs again: the first reads are released
        once every unit has been audited."""
        def read(batch: int) -> Any:
            if culprits is None:
                return reads[batch]
            return client.submit(tasks.read, groups[batch], mapping, pure=False)

        pieces = [client.submit(tasks.pick, splits[b] if culprits is None else split(read(b), b),
                                unit, pure=False) for b in senders[unit]]
        whole = [] if unit in moves else [unit]
        return client.submit(tasks.evaluate, [read(b) for b in whole],
                             [p.position for b in whole for p in groups[b]],
                             [offset for b in whole for offset in offsets[b]],
                             file_listings, rules, as_of, settings, needs, culprits, pieces,
                             pure=False)

    units = range(len(groups))
    progress.stage("auditing partitions", len(partitions))
    results: list[tasks.UnitResult] = _gathered(
        client, [evaluate(unit) for unit in units], progress, [len(batch) for batch in groups])
    del reads, splits
    progress.stage("checking across the catalogue")
    tables = _gathered_tables(results)

    def catalogue(tables: Tables) -> Hits:
        return check_findings(rules, tables, as_of=as_of, settings=settings, scope="catalogue")

    try:
        across = None if any(r.culprits for r in results) else catalogue(tables)
    except Exception:  # noqa: BLE001 - the inputs that broke it are found below
        across = None
    if across is None:
        # As one process (pipeline.evaluate_isolated): once anything broke, every file is
        # judged alone; a file that breaks a check is one LA001 and the run is audited
        # again without it, the units that hold it re-evaluated.
        culprits = _culprits(results, tables, catalogue, groups, moves)
        redo = [unit for unit in units if any(
            p.label in culprits for b in {unit, *senders[unit]} for p in groups[b])]
        if redo:
            again = _gathered(client, [evaluate(unit, culprits) for unit in redo],
                              Progress.off(), [1] * len(redo))
            for index, result in zip(redo, again):
                results[index] = result
            tables = _gathered_tables(results)
        across = catalogue(tables)  # still broken: a defect no one file explains, as in one process
    found = sum((result.found for result in results), Hits()) + across
    counts = sum((result.counts for result in results), ColumnCounts())
    findings = finish(found, rules, settings, as_of=as_of, counts=counts)
    return _files(results), tables, findings


def _culprits(results: list[tasks.UnitResult], tables: Tables,
              catalogue: Callable[[Tables], Hits], groups: list[list[Partition]],
              moves: dict[int, dict[str, int]]) -> dict[str, tuple[str, int]]:
    """The files that break this tool, each with its LA001 reason and the position of its
    first partition, for the units to audit again: a file audited in several units (split
    into partitions, or an episodes table shuffled) that broke one of them (one process
    finds the file, not the part), and a file whose rows alone break a catalogue-wide check."""
    first: dict[str, int] = {}
    split: set[str] = set()
    for index, batch in enumerate(groups):
        for partition in batch:
            first.setdefault(partition.label, partition.position)
            if partition.parts > 1 or index in moves:
                split.add(partition.label)
    found: dict[str, str] = {}
    for result in results:
        for label, reason in result.culprits.items():
            if label in split:
                found.setdefault(label, reason)
    for label, alone in _per_file(tables):
        if label in found or label not in first:
            continue
        try:
            catalogue(alone)
        except Exception as exc:  # noqa: BLE001 - that file is the culprit
            found[label] = internal_error(exc, "audited")
    return {label: (reason, first[label]) for label, reason in found.items()}


def _per_file(tables: Tables) -> Iterator[tuple[str, Tables]]:
    """The gathered tables of each file alone, as one process tabulates a file alone."""
    labels = sorted(set(tables.listings["path"].dropna()) | set(tables.claims["path"].dropna()))
    has_path = "path" in tables.episodes.columns
    for label in labels:
        yield label, Tables(
            listings=tables.listings[tables.listings["path"] == label].reset_index(drop=True),
            episodes=(tables.episodes[tables.episodes["path"] == label].reset_index(drop=True)
                      if has_path else tables.episodes.iloc[0:0]),
            claims=tables.claims[tables.claims["path"] == label].reset_index(drop=True),
            problems=tables.problems.iloc[0:0])


def _range_bytes(size: int, workers: int) -> int:
    """A range's size in a file of `size` bytes: the file cut into equal ranges, two per
    worker, none under MIN_TASK_BYTES nor over PART_BYTES. Each file is cut for itself: a
    titles table beside an episodes table ten times its size is still cut for every worker
    (its shows' episodes are then audited with each range)."""
    ranges = max(1, min(2 * workers, size // MIN_TASK_BYTES))
    return max(MIN_TASK_BYTES, min(PART_BYTES, -(-size // ranges)))


def _target(workers: int, partitions: list[Partition], part_bytes: int) -> int:
    """Bytes of small files per task: few enough that every worker gets two tasks or more,
    at most a partition's, and no fewer than MIN_TASK_BYTES (running every rule once costs
    about a second whatever the rows, so a task of a few pages would cost more than it does)."""
    total = sum(size_of(p) for p in partitions if p.parts == 1)
    return max(MIN_TASK_BYTES, min(part_bytes, total // (2 * workers) + 1))


MIN_TASK_BYTES = 2 * 1024 * 1024


def _gathered(client: Any, futures: list, progress: Progress, steps: list[int]) -> list:
    """The futures' results in order, the progress bar advancing by each task's partitions
    as it ends."""
    from distributed import KilledWorker, as_completed

    weight = {future.key: step for future, step in zip(futures, steps)}
    try:
        for future in as_completed(futures, loop=client.loop):
            progress.advance(weight.get(future.key, 1))
        return client.gather(futures)
    except KilledWorker as exc:
        raise ClusterError(f"a Dask worker died on every attempt to run a task ({exc.args[0]}); "
                           "the run was abandoned") from None


def _whole_where_needed(client: Any, groups: list[list[Partition]], reads: list,
                        outlines: list[list[tasks.Outline]], mapping: dict | None):
    """A split file that holds stand-in listings (an episodes table: one show's stand-in
    would be made once per partition) or that a partition could not read is read whole.
    Line ranges are batches of their own, so such a file's batches are replaced by one."""
    whole = {p.label for batch, found in zip(groups, outlines) for p, o in zip(batch, found)
             if p.parts > 1 and (o.skipped or o.stubs)}
    if not whole:
        return groups, reads, outlines
    kept: list[tuple[list[Partition], Any, Any]] = []
    dropped = []
    for batch, read, found in zip(groups, reads, outlines):
        first = batch[0]
        if first.label not in whole or first.parts == 1:
            kept.append((batch, read, found))
            continue
        dropped.append(read)
        if first.part == 0:
            single = [Partition(first.source, first.position)]
            future = client.submit(tasks.read, single, mapping, pure=False)
            kept.append((single, future, client.submit(tasks.outline, future, pure=False)))
    client.cancel(dropped)
    groups, position = [], 0
    for batch, _, _ in kept:
        groups.append([dataclasses.replace(p, position=position + i) for i, p in enumerate(batch)])
        position += len(batch)
    outlines = [o if isinstance(o, list) else o.result() for _, _, o in kept]
    return groups, [r for _, r, _ in kept], outlines


def _ordinals(groups: list[list[Partition]], outlines: list[list[tasks.Outline]]
              ) -> tuple[list[list[int]], dict[str, int]]:
    """Per partition, the listings its file's earlier partitions hold (its listing ids follow
    theirs), and the listings of each file read in several partitions."""
    offsets, seen = [], {}
    for batch, found in zip(groups, outlines):
        offsets.append([])
        for partition, outline in zip(batch, found):
            offsets[-1].append(seen.get(partition.label, 0))
            seen[partition.label] = seen.get(partition.label, 0) + outline.listings
    split = {p.label for batch in groups for p in batch if p.parts > 1}
    return offsets, {label: count for label, count in seen.items() if label in split}


def _moves(client: Any, reads: list, outlines: list[list[tasks.Outline]]
           ) -> dict[int, dict[str, int]]:
    """Per batch holding stand-in listings, the batch each of their keys goes to: the first
    (in run order) that owns a listing of that key, as ingest/link.py joins them, where that
    is another batch. Each stand-in then travels to its owner with its episodes (a shuffle
    by listing key) instead of the two batches being audited as one."""
    keys = frozenset().union(*(o.stubs for found in outlines for o in found))
    if not keys:
        return {}
    owned = client.gather([client.submit(tasks.owned, r, keys, pure=False) for r in reads])
    owner: dict[str, int] = {}
    for index, per_partition in enumerate(owned):
        for found in per_partition:
            for key in found:
                owner.setdefault(key, index)
    moves: dict[int, dict[str, int]] = {}
    for index, found in enumerate(outlines):
        going = {key: owner[key] for outline in found for key in outline.stubs
                 if owner.get(key, index) != index}
        if going:
            moves[index] = going
    return moves


def _needs(rules: list[Rule], settings: dict[str, dict[str, Any]] | None) -> Needs:
    """The claim fields (and whether the episodes) the catalogue-wide checks read."""
    fields: set[str] = set()
    episodes = False
    for rule in rules:
        overrides = {k: v for k, v in (settings or {}).get(rule.id, {}).items()
                     if k not in ("severity", "mostly")}
        for check in rule.checks:
            params = rule.resolved(check, overrides)
            if scope_of(check.kind, params) == "catalogue":
                need = gathered(check.kind, params)
                fields.update(need.claims)
                episodes = episodes or need.episodes
    return Needs(claims=tuple(sorted(fields)), episodes=episodes)


def _joined(frames: list[pd.DataFrame], schema: pa.DataFrameSchema | None = None) -> pd.DataFrame:
    """Frames of the units as one, in the units' order; empty ones (an unreadable file's,
    typed as plain objects) are left out so the others keep their column types. With a
    `schema`, joined as one process joins that table (schemas.concat), so its columns have
    the same types (categories the union of the units')."""
    filled = [f for f in frames if not f.empty]
    if not filled:
        return frames[0].iloc[0:0] if frames else pd.DataFrame()
    if schema is not None:
        return schemas.concat(filled, schema)
    return pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0].reset_index(drop=True)


def _gathered_tables(results: list[tasks.UnitResult]) -> Tables:
    """The listings in run order (as one process builds them), the claims and episodes the
    catalogue-wide checks read, and the episode count (the report states it)."""
    listings = _joined([r.listings for r in results])
    if "_position" in listings.columns:
        listings = listings.sort_values("_position", kind="stable").drop(columns="_position")
        listings = listings.reset_index(drop=True)
    claims = ordered(_joined([r.claims for r in results], schemas.CLAIMS))
    episodes = [r.episodes for r in results if r.episodes is not None]
    count = sum(r.episode_count for r in results)
    # The report counts the episodes; only a check that needs them gets their rows.
    table = _joined(episodes) if episodes else pd.DataFrame(index=pd.RangeIndex(count))
    return Tables(listings=listings, episodes=table, claims=claims,
                  problems=frame_of([], PROBLEM_COLUMNS))


def _files(results: list[tasks.UnitResult]) -> list[dict[str, Any]]:
    """One entry per input as one process reports it: a file read in several partitions is
    one entry with their listings and episodes summed."""
    by_path: dict[str, dict[str, Any]] = {}
    for _, entry in sorted((item for r in results for item in r.files), key=lambda i: i[0]):
        known = by_path.get(entry["path"])
        if known is None:
            by_path[entry["path"]] = dict(entry)
        elif known["status"] == "read" and entry["status"] == "read":
            known["listings"] += entry["listings"]
            known["episodes"] += entry["episodes"]
        elif entry["status"] != "read":
            by_path[entry["path"]] = dict(entry)
    return sorted(by_path.values(), key=lambda entry: entry["path"])
