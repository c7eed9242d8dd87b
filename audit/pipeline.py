"""One audit run: inputs -> tables -> engine -> findings. The CLI and tests both call this."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from typing import Any

from .engine import run_rules
from .ingest import Source, collect, read_source, unreadable
from .ingest.base import Ingested, UnreadableInput
from .ingest.link import link
from .model import Finding
from .progress import Progress
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


class NoInput(Exception):
    """The arguments name no file to read (an empty directory, an --include that matches
    nothing, only files of other types): there is nothing to audit, which is no pass."""


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


def audit(arguments: list[str], rules: list[Rule], *, as_of: dt.date,
          settings: dict[str, dict[str, Any]] | None = None, include: list[str] | None = None,
          exclude: list[str] | None = None, stdin: bytes | None = None,
          mapping: dict[str, Any] | None = None, stdin_filename: str | None = None,
          progress: Progress | None = None) -> Run:
    """`stdin_filename` names standard input in every report (and tells its format by its
    extension); `progress` is told what is read and run (nothing is drawn unless asked)."""
    progress = progress or Progress.off()
    sources, missing = collect(arguments, include=include, exclude=exclude,
                               stdin_label=stdin_filename)
    if not sources and not missing:
        raise NoInput(_nothing_found(arguments, include))
    progress.stage("reading files", len(sources))
    results = []
    for source in sources:
        results.append(_read(source, stdin, mapping))
        progress.advance()
    link(results)  # episodes tables join the listings they name, read from other inputs
    for name in missing:
        results.append(unreadable(name, UnreadableInput("no such file or directory")))
    progress.stage("building tables")
    tables = build_tables(results)
    findings = run_rules(rules, tables, as_of=as_of, settings=settings, progress=progress)
    files = []
    for result in sorted(results, key=lambda r: r.path):
        entry: dict[str, Any] = {
            "path": result.path, "format": result.format,
            "status": "skipped" if result.skipped_reason else "read",
            "listings": len(result.listings), "episodes": len(result.episodes),
        }
        if result.skipped_reason:
            entry["reason"] = result.skipped_reason
        files.append(entry)
    return Run(inputs=list(arguments), as_of=as_of, rules=rules, files=files, tables=tables,
               findings=findings, missing=missing)


def _nothing_found(arguments: list[str], include: list[str] | None) -> str:
    from .ingest import DEFAULT_INCLUDE

    patterns = " ".join(include or DEFAULT_INCLUDE)
    named = ", ".join(arguments)
    return f"no input to read in {named}: no file matches {patterns}"
