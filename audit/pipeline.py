"""One audit run: inputs -> tables -> engine -> findings. The CLI and tests both call this."""

from __future__ import annotations

import datetime as dt
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from .engine import run_rules
from .ingest import Source, collect, read_source, unreadable
from .ingest.base import Ingested, UnreadableInput
from .ingest.link import link
from .model import Finding
from .ruleset import Rule
from .tables import Tables, build_tables


@dataclass
class Run:
    inputs: list[str]
    as_of: dt.date
    rules: list[Rule]
    files: list[dict[str, Any]]
    tables: Tables
    findings: list[Finding]
    missing: list[str] = field(default_factory=list)


def _read(source: Source, stdin: bytes | None, mapping: dict | None = None) -> Ingested:
    try:
        if source.path is None:
            data = stdin if stdin is not None else sys.stdin.buffer.read()
        else:
            data = source.path.read_bytes()
    except OSError as exc:
        return unreadable(source.label, UnreadableInput(f"cannot read the file: {exc.strerror}"))
    try:
        return read_source(source, data, mapping)
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not cost the other files
        return unreadable(source.label, UnreadableInput(
            f"could not be read because of an internal error ({type(exc).__name__}: {exc}); "
            "please report it with this file"))


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
    return [_read(source, None, mapping) for source, mapping in batch]


def _read_all(sources: list[Source], stdin: bytes | None, mapping: dict | None,
              workers: int | None) -> list[Ingested]:
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
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (a sandbox, a dying worker): read them here instead
    for index, source in enumerate(sources):
        if results[index] is None:
            results[index] = _read(source, stdin, mapping)
    return results  # type: ignore[return-value]


def audit(arguments: list[str], rules: list[Rule], *, as_of: dt.date,
          settings: dict[str, dict[str, Any]] | None = None, include: list[str] | None = None,
          exclude: list[str] | None = None, stdin: bytes | None = None,
          mapping: dict[str, Any] | None = None, workers: int | None = None) -> Run:
    """Audit the inputs. `workers`: processes reading files (None: chosen from the run, see
    _read_all; 1: read everything in this process)."""
    sources, missing = collect(arguments, include=include, exclude=exclude)
    results = _read_all(sources, stdin, mapping, workers)
    link(results)  # episodes tables join the listings they name, read from other inputs
    for name in missing:
        results.append(unreadable(name, UnreadableInput("no such file or directory")))
    tables = build_tables(results)
    findings = run_rules(rules, tables, as_of=as_of, settings=settings)
    files = []
    for result in sorted(results, key=lambda r: r.path):
        entry: dict[str, Any] = {
            "path": result.path, "format": result.format,
            "status": "skipped" if result.skipped_reason else "read",
            "listings": len(result.listings), "episodes": result.episode_count,
        }
        if result.skipped_reason:
            entry["reason"] = result.skipped_reason
        files.append(entry)
    return Run(inputs=list(arguments), as_of=as_of, rules=rules, files=files, tables=tables,
               findings=findings, missing=missing)
