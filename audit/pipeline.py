"""One audit run: inputs -> tables -> engine -> findings. The CLI and tests both call this."""

from __future__ import annotations

import datetime as dt
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from .engine import run_rules
from . import ingest
from .ingest import Source, collect, read_source, unreadable
from .ingest.base import Ingested, UnreadableInput
from .ingest.link import link
from .ingest.parquet import RowGroups
from .model import Finding
from .progress import Progress
from .ruleset import Rule
from .tables import Tables, build_tables


T = TypeVar("T")


@dataclass
class Run:
    inputs: list[str]
    as_of: dt.date
    rules: list[Rule]
    files: list[dict[str, Any]]
    tables: Tables
    findings: list[Finding]
    missing: list[str] = field(default_factory=list)


class NoInput(Exception):
    """The arguments name no file to read (an empty directory, an --include that matches
    nothing, only files of other types): there is nothing to audit, which is no pass."""


def _read_bounded(source: Source, stdin: bytes | None) -> bytes:
    """The input's bytes, never more than one byte past the size limit: a 3 GB file or an
    endless standard input is refused after MAX_BYTES + 1 bytes, not read whole first."""
    if source.path is None:
        if stdin is not None:
            return stdin[: ingest.MAX_BYTES + 1]
        return sys.stdin.buffer.read(ingest.MAX_BYTES + 1)
    with source.path.open("rb") as handle:
        return handle.read(ingest.MAX_BYTES + 1)


def read_input(source: Source, stdin: bytes | None, mapping: dict | None = None) -> Ingested:
    """One input (a file, or standard input given as `stdin` or read here) read and parsed;
    a file that cannot be opened, like anything that goes wrong in parse_input, is an LA001
    problem of that input, never an exception."""
    try:
        data = _read_bounded(source, stdin)
    except OSError as exc:
        return unreadable(source.label, UnreadableInput(f"cannot read the file: {exc.strerror}"))
    return parse_input(source, data, mapping)


def parse_input(source: Source, data: bytes | RowGroups, mapping: dict | None = None) -> Ingested:
    """An input's bytes (or a Parquet file's row groups) read by its format's adapter; whatever
    goes wrong (the adapter refuses it, runs out of memory or fails) becomes LA001 of that
    input."""
    try:
        return read_source(source, data, mapping)
    except (MemoryError, RecursionError) as exc:
        return unreadable(source.label, UnreadableInput(
            f"too large or too deeply nested to read ({type(exc).__name__})"))
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not cost the other files
        return unreadable(source.label, UnreadableInput(internal_error(exc, "read")))


def internal_error(exc: BaseException, stage: str) -> str:
    """The LA001 reason of an input that broke this tool: `stage` is "read" or "audited"."""
    detail = (str(exc).strip().splitlines() or [""])[0][:160]
    return (f"could not be {stage} because of an internal error ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}); the other inputs were audited without it; "
            "please report it with this file")


def _evaluate(results: list[Ingested], rules: list[Rule], as_of: dt.date,
              settings: dict[str, dict[str, Any]] | None,
              progress: Progress | None = None,
              release: bool = False) -> tuple[Tables, list[Finding]]:
    tables = build_tables(results, release_frames=release)
    return tables, run_rules(rules, tables, as_of=as_of, settings=settings, progress=progress)


def evaluate_isolated(results: list[Ingested], evaluate: Callable[[list[Ingested]], T], *,
                      consuming: Callable[[list[Ingested]], T] | None = None,
                      again: Callable[[], list[Ingested]] | None = None
                      ) -> tuple[list[Ingested], T]:
    """`evaluate` of the whole run; an input whose values break the tables or a rule (a
    defect of this tool, found by fuzzing, never expected) is evaluated alone to find it,
    becomes one LA001 finding, and the others are evaluated as if it were absent.

    `consuming`, if given, is tried first instead of `evaluate`: it may take the inputs'
    rows over (a catalogue's claims are then not held twice), so when it fails the inputs
    are read `again` before they are evaluated one by one."""
    try:
        return results, (consuming or evaluate)(results)
    except Exception:  # noqa: BLE001 - find the input that broke it below
        pass
    if consuming is not None and again is not None:
        results = again()
    kept = []
    for result in results:
        try:
            evaluate([result])
            kept.append(result)
        except Exception as exc:  # noqa: BLE001 - that input is the culprit
            kept.append(unreadable(result.path, UnreadableInput(internal_error(exc, "audited"))))
    return kept, evaluate(kept)


# Files are independent, so many small ones (listing pages) are read by a pool of processes.
# Big files stay in this process: sending their rows back would cost what reading them saves.
POOL_MIN_FILES = 64
POOL_MAX_BYTES = 4 * 1024 * 1024
_CHUNK = 32


def _size(source: Source) -> int:
    try:
        return source.path.stat().st_size if source.path is not None else 0
    except OSError:
        return 0


def _workers(requested: int | None, files: int) -> int:
    if requested is None:
        requested = int(os.environ.get("LISTING_AUDIT_WORKERS", "0") or 0) or None
    if requested is None:
        requested = (os.cpu_count() or 1) if files >= POOL_MIN_FILES else 1
    return max(1, min(requested, files))


def _read_many(batch: list[tuple[Source, dict | None]]) -> list[Ingested]:
    return [read_input(source, None, mapping) for source, mapping in batch]


def _read_all(sources: list[Source], stdin: bytes | None, mapping: dict | None,
              workers: int | None, progress: Progress) -> list[Ingested]:
    """Every source read, in the order given, whatever the number of workers."""
    pooled = [i for i, s in enumerate(sources) if s.path is not None and _size(s) <= POOL_MAX_BYTES]
    count = _workers(workers, len(pooled))
    results: list[Ingested | None] = [None] * len(sources)
    if count > 1:
        batches = [pooled[i:i + _CHUNK] for i in range(0, len(pooled), _CHUNK)]
        try:
            with ProcessPoolExecutor(max_workers=count) as pool:
                done = pool.map(_read_many, [[(sources[i], mapping) for i in b] for b in batches])
                for batch, read in zip(batches, done):
                    for index, result in zip(batch, read):
                        results[index] = result
                    progress.advance(len(batch))
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (a sandbox, a dying worker): read them here instead
    for index, source in enumerate(sources):
        if results[index] is None:
            results[index] = read_input(source, stdin, mapping)
            progress.advance()
    return results  # type: ignore[return-value]


def audit(arguments: list[str], rules: list[Rule], *, as_of: dt.date,
          settings: dict[str, dict[str, Any]] | None = None, include: list[str] | None = None,
          exclude: list[str] | None = None, stdin: bytes | None = None,
          mapping: dict[str, Any] | None = None, stdin_filename: str | None = None,
          progress: Progress | None = None, workers: int | None = None,
          client: Any = None, part_bytes: int | None = None) -> Run:
    """`stdin_filename` names standard input in every report (and tells its format by its
    extension); `progress` is told what is read and run (nothing is drawn unless asked);
    `workers`: processes reading files (None: chosen from the run, see _read_all; 1: read
    everything in this process); `client`: a dask.distributed Client to run the audit on in
    partitions (audit/partitioned), `part_bytes` their size."""
    progress = progress or Progress.off()
    sources, unlisted = collect(arguments, include=include, exclude=exclude,
                                stdin_label=stdin_filename)
    if not sources and not unlisted:
        raise NoInput(_nothing_found(arguments, include))
    missing = [name for name, reason in unlisted if reason == "no such file or directory"]
    if client is not None:
        from .partitioned import audit_partitioned

        files, tables, findings = audit_partitioned(
            client, sources, unlisted, rules, as_of=as_of, settings=settings, stdin=stdin,
            mapping=mapping, progress=progress, part_bytes=part_bytes)
        return Run(inputs=list(arguments), as_of=as_of, rules=rules, files=files,
                   tables=tables, findings=findings, missing=missing)

    if stdin is None and any(source.path is None for source in sources):
        # read once: the inputs may be read again (below) and standard input cannot be
        stdin = sys.stdin.buffer.read(ingest.MAX_BYTES + 1)

    def read() -> list[Ingested]:
        progress.stage("reading files", len(sources))
        results = _read_all(sources, stdin, mapping, workers, progress)
        link(results)  # episodes tables join the listings they name, read from other inputs
        for name, reason in unlisted:
            results.append(unreadable(name, UnreadableInput(reason)))
        progress.stage("building tables")
        return results

    results, (tables, findings) = evaluate_isolated(
        read(), lambda some: _evaluate(some, rules, as_of, settings, progress),
        consuming=lambda every: _evaluate(every, rules, as_of, settings, progress, release=True),
        again=read)
    files = [file_entry(result) for result in sorted(results, key=lambda r: r.path)]
    return Run(inputs=list(arguments), as_of=as_of, rules=rules, files=files, tables=tables,
               findings=findings, missing=missing)


def file_entry(result: Ingested) -> dict[str, Any]:
    """What the report says of one input read."""
    entry: dict[str, Any] = {
        "path": result.path, "format": result.format,
        "status": "skipped" if result.skipped_reason else "read",
        "listings": len(result.listings), "episodes": result.episode_count,
    }
    if result.skipped_reason:
        entry["reason"] = result.skipped_reason
    return entry


def _nothing_found(arguments: list[str], include: list[str] | None) -> str:
    from .ingest import DEFAULT_INCLUDE

    patterns = " ".join(include or DEFAULT_INCLUDE)
    named = ", ".join(arguments)
    return f"no input to read in {named}: no file matches {patterns}"
