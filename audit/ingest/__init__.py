"""Reading inputs: finding the files, detecting each one's format, and running its adapter.

An adapter module exposes
    FORMAT            its name in reports ("page", "json", "csv", ...)
    BINARY            True when it reads bytes (Parquet) rather than decoded text
    sniff(head, suffix) -> bool   does this content look like mine? (head: the first 64 KiB)
    read(builder, content)        fill the Builder; raise UnreadableInput when it cannot
Detection goes by content first and uses the file's suffix only to break ties, so a JSON
feed saved as .txt is still read as JSON.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from types import ModuleType

from . import csv_catalogue, html, json_records, page, parquet, tmdb, tvmaze
from .base import Builder, Ingested, UnreadableInput
from .decode import decode

# Most specific first: the page reader accepts any text and so comes last.
ADAPTERS: list[ModuleType] = [parquet, html, tvmaze, tmdb, json_records, csv_catalogue, page]

DEFAULT_INCLUDE = ("*.txt", "*.text", "*.html", "*.htm", "*.json", "*.jsonl", "*.ndjson",
                   "*.csv", "*.tsv", "*.parquet")
MAX_BYTES = 100 * 1024 * 1024
STDIN = "-"


@dataclass(frozen=True)
class Source:
    label: str          # the path as the user gave it (or "<stdin>")
    path: Path | None   # None for standard input


def _matches(path: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Glob match ignoring case: `titles.CSV` is a CSV file on every system."""
    path = path.lower()
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path, p.lower()) or fnmatch.fnmatchcase(name, p.lower())
               for p in patterns)


def collect(arguments: list[str], *, include: list[str] | None = None,
            exclude: list[str] | None = None,
            stdin_label: str | None = None) -> tuple[list[Source], list[tuple[str, str]]]:
    """The files to read, in a stable order, and the arguments (or the directories under
    them) that cannot be read, each with the reason. Nothing is dropped silently: a directory
    the walk cannot open is reported, not skipped.

    Standard input is labelled `stdin_label` (--stdin-filename) or "<stdin>"."""
    sources: dict[str, Source] = {}
    problems: dict[str, str] = {}
    include_patterns = tuple(include) if include else DEFAULT_INCLUDE
    for argument in arguments:
        if argument == STDIN:
            label = stdin_label or "<stdin>"
            sources.setdefault(label, Source(label, None))
            continue
        path = Path(argument)
        if path.is_dir():
            for relative, child, error in _walk(path):
                label = (path / relative).as_posix()
                if error is not None:
                    problems.setdefault(label, error)
                elif _matches(relative, include_patterns) and not _matches(relative, exclude or []):
                    sources.setdefault(label, Source(shown(label), child))
        elif path.is_file():
            if not _matches(argument, exclude or []):
                sources.setdefault(path.as_posix(), Source(shown(path.as_posix()), path))
        elif path.exists():
            problems.setdefault(argument, "not a regular file or directory (a device, a pipe "
                                          "or a socket cannot be audited)")
        else:
            problems.setdefault(argument, "no such file or directory")
    return (sorted(sources.values(), key=lambda s: s.label),
            sorted((shown(name), reason) for name, reason in problems.items()))


def shown(name: str) -> str:
    """A path as reports can carry it: a file name that is not UTF-8 (Python keeps its bytes
    as lone surrogates) gets each such byte written as \\xNN, so every table, codec and
    report takes it and the user still recognises the name."""
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(root: Path) -> list[tuple[str, Path | None, str | None]]:
    """(relative path, path, None) for each regular file under `root`, sorted, and
    (relative path, None, reason) for each directory that cannot be listed. Hidden entries
    are skipped; links to directories are not followed, so a link loop cannot hang the walk."""
    errors: list[OSError] = []
    found = []
    for directory, dirs, files in os.walk(root, onerror=errors.append):
        here = Path(directory)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            child = here / name
            if not name.startswith(".") and child.is_file():
                found.append((child.relative_to(root).as_posix(), child, None))
    for error in errors:
        where = Path(error.filename) if error.filename else root
        relative = where.relative_to(root).as_posix() if where != root else "."
        found.append((relative, None, f"cannot read the directory: {error.strerror}"))
    return sorted(found, key=lambda item: item[0])


def detect(head: bytes, text_head: str | None, suffix: str) -> ModuleType:
    for adapter in ADAPTERS:
        if adapter.BINARY:
            if adapter.sniff(head, suffix):
                return adapter
        elif text_head is not None and adapter.sniff(text_head, suffix):
            return adapter
    return page


def read_source(source: Source, data: bytes | parquet.RowGroups,
                mapping: dict | None = None) -> Ingested:
    """Read one file; whatever goes wrong becomes an LA001 problem of that file.

    `data`: the file's bytes, or some row groups of a Parquet file (a partition of it).
    `mapping` (from --mapping) says which table column holds which field; adapters that
    read tables (MAPPABLE) take it.
    """
    # Standard input named by --stdin-filename is told apart by that name's extension too.
    suffix = PurePath(source.label).suffix.lower()
    if isinstance(data, parquet.RowGroups):
        binary: list[ModuleType] = [parquet]
    else:
        binary = [a for a in ADAPTERS if a.BINARY and a.sniff(data[:65536], suffix)]
    try:
        if isinstance(data, parquet.RowGroups):
            pass  # a partition planned from a file within the size limit
        elif len(data) > MAX_BYTES:
            size = source.path.stat().st_size if source.path is not None else None
            shown = _size(size) if size and size > MAX_BYTES else f"more than {_size(MAX_BYTES)}"
            raise UnreadableInput(f"the input is {shown}, over the {_size(MAX_BYTES)} limit for one "
                                  "input (docs/limits.md); it was not read")
        if binary:
            adapter, content = binary[0], data
        else:
            text, _ = decode(data)
            adapter = detect(data[:65536], text[:65536], suffix)
            content = text
        language = _config_language(content, suffix) if suffix in _CONFIG_SUFFIXES else None
        if language:
            raise UnreadableInput(f"no listing found: this is a {language} file, not a listing")
        mappable = getattr(adapter, "MAPPABLE", False)
        builder = Builder(source.label, adapter.FORMAT,
                          catalogue=(mapping or {}).get("catalogue") if mappable else None)
        try:
            if mappable:
                adapter.read(builder, content, mapping=mapping)
            else:
                adapter.read(builder, content)
        except UnreadableInput:
            # TOML and YAML look like broken JSON ("[tool]", "title: x"); say what they are.
            language = _config_language(content, suffix) if not binary else None
            if language:
                raise UnreadableInput(
                    f"no listing found: this is a {language} file, not a listing") from None
            raise
        result = builder.result()
        if not result.listings and not result.problems:
            raise UnreadableInput(f"no listing found in this {adapter.FORMAT} file")
        return result
    except UnreadableInput as exc:
        return unreadable(source.label, exc)


_CONFIG_SUFFIXES = {".toml", ".yaml", ".yml"}


def _config_language(text: str, suffix: str) -> str | None:
    """"TOML" or "YAML" when the text is a configuration file of that language, else None.

    Only asked when the name says so or a listing reader failed: JSON is valid YAML, and a
    mapping is what makes a configuration file (a bare "hello" parses as YAML too)."""
    import tomllib

    import yaml

    try:
        if tomllib.loads(text):
            return "TOML"
    except (tomllib.TOMLDecodeError, ValueError):
        pass
    if text.lstrip()[:1] in ("{", "["):
        return None  # JSON with a slip (a trailing comma) may parse as YAML flow: it is JSON
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if isinstance(data, dict) and data:
        return "YAML"
    return None


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.{0 if count % scale == 0 else 1}f} {unit}"
    return f"{count} bytes"


def unreadable(label: str, exc: UnreadableInput) -> Ingested:
    """An Ingested for a file that yielded nothing: one LA001 problem, counted as skipped."""
    builder = Builder(label, "unknown")
    builder.problem("LA001", f"{label}: {exc.message}", line=exc.line, column=exc.column,
                    text=exc.text)
    result = builder.result()
    result.skipped_reason = exc.message
    return result
