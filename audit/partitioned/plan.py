"""The partitions of a run's inputs: whole files, line ranges of a large CSV or JSONL file, and
row-group ranges of a large Parquet file.

A line range is read as its file with every line outside the range left blank (a CSV keeps
its header line): each value keeps its line and column, the adapters read it as they read
any file, and blank lines yield nothing in either format. A file is split only where that is
certain to read as the whole file does: UTF-8 text without control characters, one kind of
line break, read by its suffix's adapter, cut only at a line outside any quoted CSV cell
(an even number of quote characters before it) and, in JSONL, at a line that opens a record.
A Parquet file (named .parquet, within the size limit, of two row groups or more) is cut
between row groups; a range reads only its row groups' column chunks, and each row keeps its
number in the file (its evidence line). Anything else (pages, JSON documents, standard
input, a file over the size limit) is one partition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable

from ..ingest import MAX_BYTES, Source, detect
from ..ingest import csv_catalogue, json_records, parquet
from ..ingest.decode import _CONTROL

# A partition's size: large enough that reading it costs far more than scheduling it.
PART_BYTES = 32 * 1024 * 1024

_ADAPTERS = {".csv": csv_catalogue, ".tsv": csv_catalogue,
             ".jsonl": json_records, ".ndjson": json_records}


@dataclass(frozen=True)
class Partition:
    source: Source
    position: int                       # its place in the run (file order, then range order)
    part: int = 0                       # its place among its file's partitions
    parts: int = 1                      # how many partitions its file has
    lines: tuple[int, int] | None = None  # [first, end) 1-based lines; None: the whole file
    start: int = 0                      # the byte offsets of those lines
    end: int = 0
    header: int = 0                     # bytes of the file's first line kept (a CSV header)
    newline: bytes = b"\n"
    row_groups: parquet.RowGroups | None = None  # a Parquet file's row groups to read
    data: bytes | None = None           # standard input, read by the driver
    reason: str | None = None           # an argument that cannot be read: LA001 with this

    @property
    def label(self) -> str:
        return self.source.label


def partitions(sources: list[Source], unlisted: list[tuple[str, str]], stdin: bytes | None,
         part_bytes: int | Callable[[int], int] = PART_BYTES) -> list[Partition]:
    """Every source's partitions in the order of the sources, then one per unlisted argument.
    `part_bytes`: a range's size, or a function of the file's size that gives it."""
    out: list[Partition] = []
    for source in sources:
        if source.path is not None:
            # Workers elsewhere (or started in another directory) open the file by its
            # absolute path; reports keep naming it as the user did.
            source = Source(source.label, source.path.absolute())
        if source.path is None:
            data = stdin if stdin is not None else _stdin()
            out.append(Partition(source, len(out), data=data[: MAX_BYTES + 1]))
            continue
        groups = _row_groups(source.path, source.label, part_bytes)
        for index, row_groups in enumerate(groups):
            out.append(Partition(source, len(out), index, len(groups), row_groups=row_groups))
        if groups:
            continue
        ranges = _ranges(source.path, source.label, part_bytes)
        if not ranges:
            out.append(Partition(source, len(out)))
            continue
        for index, (lines, start, end, header, newline) in enumerate(ranges):
            out.append(Partition(source, len(out), index, len(ranges), lines, start, end, header,
                                 newline))
    for name, reason in unlisted:
        out.append(Partition(Source(name, None), len(out), reason=reason))
    return out


def batches(partitions: list[Partition], target: int) -> list[list[Partition]]:
    """Partitions packed into tasks: consecutive small files together up to `target` bytes
    (a task per listing page would cost more to schedule than to run), a line range alone."""
    out: list[list[Partition]] = []
    size = 0
    for partition in partitions:
        if partition.parts > 1:
            out.append([partition])
            size = target
            continue
        weight = size_of(partition)
        if not out or size + weight > target:
            out.append([])
            size = 0
        out[-1].append(partition)
        size += weight
    return out


def size_of(partition: Partition) -> int:
    """A partition's size in bytes: what planning balances."""
    if partition.data is not None:
        return len(partition.data)
    if partition.source.path is None:
        return 0
    try:
        return partition.source.path.stat().st_size
    except OSError:
        return 0


def _stdin() -> bytes:
    import sys

    return sys.stdin.buffer.read(MAX_BYTES + 1)


def padded(partition: Partition, head: bytes, body: bytes) -> bytes:
    """A line range as the adapters read it: the file with the other lines blank. `head`:
    the file's first `header` bytes, `body`: the range's bytes."""
    first, _ = partition.lines  # type: ignore[misc]
    blank = first - 1 - (1 if partition.header else 0)
    return head + partition.newline * blank + body


def _ranges(path: Path, label: str, part_bytes: int | Callable[[int], int]) -> list[tuple]:
    """(lines, start, end, header bytes, newline) per range, or [] to read the file whole."""
    adapter = _ADAPTERS.get(PurePath(label).suffix.lower())
    try:
        size = path.stat().st_size
    except OSError:
        return []
    part_bytes = _sized(part_bytes, size)
    if adapter is None or size <= part_bytes or size > MAX_BYTES:
        return []
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if data.startswith(b"\xef\xbb\xbf") and adapter is json_records:
        return []  # the mark belongs to line 1, which later ranges leave out
    try:
        text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        return []
    if _CONTROL.search(text):
        return []
    suffix = PurePath(label).suffix.lower()
    if detect(data[:65536], text[:65536], suffix) is not adapter:
        return []
    if adapter is json_records and not json_records._is_jsonl(text[:65536]):
        return []
    crlf = data.count(b"\r\n")
    if crlf and not (crlf == data.count(b"\r") == data.count(b"\n")):
        return []  # mixed or lone CR line breaks: read whole
    if not crlf and b"\r" in data:
        return []
    newline = b"\r\n" if crlf else b"\n"
    header = data.find(newline) + len(newline) if adapter is csv_catalogue else 0
    if adapter is csv_catalogue and (header <= 0 or data.count(b'"', 0, header) % 2):
        return []
    cuts = [header]
    target = header + part_bytes
    while target < len(data):
        cut = _cut(data, target, newline, adapter is csv_catalogue)
        if cut is None or cut >= len(data):
            break
        cuts.append(cut)
        target = cut + part_bytes
    if len(cuts) < 2:
        return []
    cuts.append(len(data))
    ranges = []
    line = 1 + (1 if header else 0)
    for start, end in zip(cuts, cuts[1:]):
        lines = data.count(newline, start, end)
        ranges.append(((line, line + lines), start, end, header, newline))
        line += lines
    return ranges


def _row_groups(path: Path, label: str, part_bytes: int | Callable[[int], int]
                ) -> list[parquet.RowGroups]:
    """Consecutive row groups of a large Parquet file, about `part_bytes` of column chunks
    each (as stored, so comparable to the file's size), or [] to read the file whole."""
    if PurePath(label).suffix.lower() != ".parquet":
        return []
    try:
        size = path.stat().st_size
        part_bytes = _sized(part_bytes, size)
        if size <= part_bytes or size > MAX_BYTES:
            return []
        with path.open("rb") as handle:
            if handle.read(4) != parquet.MAGIC:
                return []
        import pyarrow.parquet as pq

        metadata = pq.read_metadata(path)
    except Exception:  # noqa: BLE001 - whatever pyarrow says, the whole-file read reports it
        return []
    out: list[parquet.RowGroups] = []
    first = first_row = rows = stored = 0
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        stored += sum(group.column(c).total_compressed_size for c in range(group.num_columns))
        rows += group.num_rows
        if stored >= part_bytes or index == metadata.num_row_groups - 1:
            out.append(parquet.RowGroups(path, first, index + 1, first_row))
            first, first_row, stored = index + 1, rows, 0
    return out if len(out) > 1 else []


def _sized(part_bytes: int | Callable[[int], int], size: int) -> int:
    return part_bytes(size) if callable(part_bytes) else part_bytes


def _cut(data: bytes, target: int, newline: bytes, quoted: bool) -> int | None:
    """The first line start at or after `target` where a range may begin."""
    at = data.find(newline, target)
    counted, quotes = 0, 0
    while at != -1:
        cut = at + len(newline)
        if quoted:
            quotes += data.count(b'"', counted, cut)
            counted = cut
            if quotes % 2 == 0:
                return cut
        elif data[cut:cut + 1] == b"{":
            return cut
        at = data.find(newline, cut)
    return None
