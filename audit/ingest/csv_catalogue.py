"""Catalogue CSV (and TSV): the Netflix titles shape, other listings tables through a
--mapping, and episodes tables (one row per episode with its listing's id).

Cells are tokenised here rather than by the csv module so that every value keeps its line
and column (a quoted cell may span lines). Column names are matched ignoring surrounding
space (the Netflix file's header has " show_id"); that space is itself reported (LA505).
A row with more or fewer cells than the header is LA602 and is read as far as it goes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from .base import Builder, UnreadableInput
from .columns import TableCells, add_episodes, add_listings
from .rows import Cell, EpisodeRows, Layout, layout, listing_row

FORMAT = "csv"
BINARY = False
MAPPABLE = True

_NEWLINE = re.compile(r"\r\n|\r|\n")


def _delimiter(first_line: str, suffix: str) -> str:
    if suffix == ".tsv" or first_line.count("\t") > first_line.count(","):
        return "\t"
    return ","


def _cell_pattern(delimiter: str) -> re.Pattern[str]:
    # A quoted cell must close before a delimiter or the end of its line; anything else
    # (a stray quote, an unclosed one) is read literally up to the next delimiter.
    d = re.escape(delimiter)
    # Possessive repeats keep no backtracking state: an unclosed quote in a 10 MB file costs
    # one scan to the next quote, not gigabytes of saved positions.
    return re.compile(r'"(?P<q>(?:[^"]++|"")*+)"(?=' + d + r'|\r|\n|$)|(?P<u>[^' + d + r'\r\n]*+)')


def records(text: str, delimiter: str):
    """Yield (cells, start_offset) per record; cells are (value, offset of its first char)."""
    pattern = _cell_pattern(delimiter)
    pos, end = 0, len(text)
    while pos < end:
        start = pos
        cells: list[tuple[str, int]] = []
        while True:
            match = pattern.match(text, pos)
            if match.group("q") is not None:
                cells.append((match.group("q").replace('""', '"'), match.start() + 1))
            else:
                cells.append((match.group("u"), match.start()))
            pos = match.end()
            if pos < end and text[pos] == delimiter:
                pos += 1
                continue
            break
        newline = _NEWLINE.match(text, pos)
        pos = newline.end() if newline else pos
        if any(value for value, _ in cells) or len(cells) > 1:
            yield cells, start
        if pos == start:  # no progress: never loop forever on odd input
            pos += 1


def sniff(head: str, suffix: str) -> bool:
    if suffix in (".csv", ".tsv"):
        return True
    lines = [line for line in _NEWLINE.split(head, maxsplit=6)[:6] if line.strip()]
    if len(lines) < 3:
        return False
    delimiter = _delimiter(lines[0], suffix)
    widths = [len(cells) for cells, _ in records("\n".join(lines[:5]), delimiter)]
    header = next(records(lines[0], delimiter))[0]
    names_ok = all(0 < len(v.strip()) <= 40 for v, _ in header)
    return widths[0] >= 3 and names_ok and all(w == widths[0] for w in widths[1:4])


class _Positions:
    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def read(builder: Builder, text: str, mapping: dict[str, Any] | None = None,
         suffix: str = "") -> None:
    text = text.lstrip("\ufeff")
    first_line = _NEWLINE.split(text, maxsplit=1)[0]
    delimiter = _delimiter(first_line, suffix or (".tsv" if builder.path.endswith(".tsv") else ""))
    rows = records(text, delimiter)
    try:
        header_cells, _ = next(rows)
    except StopIteration:
        raise UnreadableInput("the CSV file has no header row") from None
    positions = _Positions(text)
    header = [value for value, _ in header_cells]
    lay = layout(header, mapping)
    if lay is None:
        raise UnreadableInput(
            "the CSV header names no title column (columns: "
            f"{', '.join(h.strip() for h in header[:12])}); pass --mapping to say which column is which",
            line=1, column=1, text=first_line[:80])
    for value, offset in header_cells:
        if value != value.strip():
            line, column = positions.at(offset)
            side = "leading" if value[:1].isspace() else "trailing"
            builder.problem("LA505", f"column name \u201c{value}\u201d has {side} white space",
                            line=line, column=column, text=value, field_name="header", value=value)
    for field_name, column_name in lay.missing:
        builder.problem("LA601", f"the mapping reads {field_name} from column \u201c{column_name}\u201d, "
                        "but the header has no such column", line=1, column=1,
                        text=first_line[:80], field_name=field_name)
    wanted = sorted(lay.columns.items(), key=lambda item: item[1])
    if _by_column(builder, lay, text, delimiter, header_cells):
        return
    episodes = EpisodeRows(builder, lay) if lay.table == "episodes" else None
    width = len(header)
    delimiters_only = 0
    last = False
    for cells, start in rows:
        if not any(value.strip() for value, _ in cells):
            delimiters_only += 1
            continue
        line = positions.at(start)[0]
        unclosed = _unclosed_quote(text, cells)
        if unclosed is not None:
            # RFC 4180 would make the rest of the file one cell: nothing after it is a row.
            # The row is read as far as its line goes, and the lines after it are one finding.
            after = text.count("\n", unclosed) - (1 if text.endswith("\n") else 0)
            if after > 0:
                quote_line, quote_column = positions.at(unclosed)
                builder.problem(
                    "LA602", f"the quote opened at line {quote_line}, column {quote_column} is never "
                    f"closed; the {after:,} line{'s' if after != 1 else ''} after it "
                    f"{'were' if after != 1 else 'was'} not read as rows",
                    line=quote_line, column=quote_column, field_name="row", value=after,
                    text=text[unclosed:unclosed + 80].split("\n")[0])
                cells = [(value.split("\n")[0], offset) for value, offset in cells]
                last = True
        if len(cells) != width:
            _ragged_problem(builder, len(cells), width, line, text[start:start + 80].split("\n")[0])
        by_field: dict[str, Cell] = {}
        for field_name, index in wanted:
            if index < len(cells):
                value, offset = cells[index]
                cell_line, cell_column = positions.at(offset)
                by_field[field_name] = Cell(value, cell_line, cell_column)
            elif lay.table == "listings":
                by_field[field_name] = Cell("", line, None)
        ident = cells[lay.id_column][0] if lay.id_column is not None and lay.id_column < len(cells) else None
        if episodes is not None:
            if ident and ident.strip():
                episodes.add(by_field, ident, line)
            else:
                builder.problem("LA601", "episode row without a listing id", line=line, column=1,
                                field_name="id", text=text[start:start + 80].split("\n")[0])
        else:
            listing_row(builder, lay, by_field, ident, line)
        if last:
            break
    _delimiters_only(builder, delimiters_only)


def _unclosed_quote(text: str, cells: list[tuple[str, int]]) -> int | None:
    """The offset of a quote that opens a cell and that no later quote in the file closes."""
    for value, offset in cells:
        if value.startswith('"') and text.find('"', offset + 1) < 0:
            return offset
    return None


def _delimiters_only(builder: Builder, rows: int) -> None:
    """One finding for every row of delimiters only (a spreadsheet's empty rows, or a
    million `,` lines): they are skipped, not each a listing without a title."""
    if rows:
        builder.problem("LA601", f"{rows:,} row{'s hold' if rows != 1 else ' holds'} only "
                        "delimiters and no value; skipped", field_name="row", value=rows)


@dataclass
class _Split:
    """A table's data rows as columns: what _split() returns."""
    rows: Any           # each record's line index after the header (0-based), ascending
    lines: Any          # line numbers (1-based)
    values: dict        # column index -> cell text per record (None past a short row's end)
    columns: dict       # column index -> 1-based column of the cell
    ragged: dict        # line index -> cell count, for rows whose count differs from the header's
    raw_lines: Any      # every line after the header, as in the file (for problem snippets)
    delimiters_only: int  # rows of delimiters only, skipped


def _split(text: str, delimiter: str, header_cells: list[tuple[str, int]],
           needed: list[int]) -> _Split | None:
    """The cells of the needed columns of every record, or None when the file needs the
    cell tokenizer.

    Lines without a quote character and with as many cells as the header are split by
    pyarrow, and each cell's column is the sum of the lengths before it. The few other lines
    are tokenised one by one; when one of them may open a quoted cell that continues on a
    later line, or the file breaks lines with a lone CR, the whole file is left to the
    tokenizer (None), which reads such cells exactly.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if [v for v, _ in next(records(first.rstrip("\r"), delimiter), ([], 0))[0]] != [v for v, _ in header_cells]:
        return None  # the header is not the first line alone (a blank first line, a quoted newline)
    body = "" if first_end < 0 else text[first_end + 1:]
    raw_lines = pc.split_pattern(pa.array([body], pa.large_string()), "\n").flatten()
    lines = pc.replace_substring_regex(raw_lines, "\r$", "") if "\r" in text else raw_lines
    width = len(header_cells)
    count = pc.add(pc.count_substring(lines, delimiter), 1).to_numpy(zero_copy_only=False)
    quoted = pc.match_substring(lines, '"').to_numpy(zero_copy_only=False)
    blank = (pc.utf8_length(lines).to_numpy(zero_copy_only=False) == 0)
    # A row of delimiters only (cells empty, blank or "") holds nothing to audit: counted,
    # reported once, skipped.
    cell = r'(?:\s*|"")'
    empty = ~blank & pc.match_substring_regex(
        lines, f"^{cell}(?:{re.escape(delimiter)}{cell})*$").to_numpy(zero_copy_only=False)
    blank |= empty
    simple = ~quoted & (count == width) & ~blank
    # Lines whose every cell is either plain or quoted and closed before the next delimiter
    # ("Comedy, Drama"), with the header's count: one RE2 pass cuts them into raw cells.
    line_pattern = _quoted_line_pattern(delimiter, width)
    well_quoted = np.zeros(len(simple), dtype=bool)
    if quoted.any():
        well_quoted = quoted & ~blank & pc.fill_null(pc.match_substring_regex(lines, line_pattern), False) \
            .to_numpy(zero_copy_only=False)

    # Lines tokenised one by one: ragged, or with a stray or unclosed quote.
    odd_rows: list[tuple[int, list[tuple[str, int]]]] = []
    for row in np.flatnonzero(~simple & ~well_quoted & ~blank):
        line_text = lines[int(row)].as_py()
        record = next(records(line_text, delimiter), None)
        if record is None:
            continue
        cells = record[0]
        # A quoted cell starts after its opening quote; a cell read literally that starts
        # with a quote is one whose closing quote may sit on a later line.
        if any(line_text[offset:offset + 1] == '"' and (offset == 0 or line_text[offset - 1] != '"')
               for _, offset in cells):
            return None
        if not any(value.strip() for value, _ in cells):
            empty[row] = True
            continue
        odd_rows.append((int(row), cells))

    simple_rows = np.flatnonzero(simple)
    quoted_rows = np.flatnonzero(well_quoted)
    plain_cells = pc.split_pattern(lines.filter(pa.array(simple)), delimiter)
    quoted_cells = pc.extract_regex(lines.filter(pa.array(well_quoted)), line_pattern) \
        if len(quoted_rows) else None
    values: dict[int, pd.Series] = {}
    columns: dict[int, pd.Series] = {}
    plain_start = np.ones(len(simple_rows), dtype=np.int64)
    quoted_start = np.ones(len(quoted_rows), dtype=np.int64)
    for index in range(max(needed) + 1 if needed else 0):
        cell = pc.list_element(plain_cells, index)
        if quoted_cells is not None:
            raw = quoted_cells.field(f"c{index}")
            is_quoted = pc.starts_with(raw, '"').to_numpy(zero_copy_only=False)
            # A quoted cell's value starts after its quote and reads "" as one quote.
            unquoted = pc.replace_substring(pc.utf8_slice_codeunits(raw, 1, -1), '""', '"')
            quoted_value = pc.if_else(pa.array(is_quoted), unquoted, raw)
        if index in needed:
            parts = [cell.to_pandas()]
            starts = [plain_start.copy()]
            if quoted_cells is not None:
                parts.append(quoted_value.to_pandas())
                starts.append(quoted_start + is_quoted)
            parts.append(pd.Series([c[index][0] if index < len(c) else None for _, c in odd_rows],
                                   dtype=object))
            starts.append(np.array([c[index][1] + 1 if index < len(c) else None
                                    for _, c in odd_rows], dtype=object))
            values[index] = pd.concat([pd.Series(p, dtype=object) for p in parts], ignore_index=True)
            columns[index] = pd.Series(np.concatenate([np.asarray(x, dtype=object) for x in starts]),
                                       dtype=object)
        plain_start += pc.utf8_length(cell).to_numpy(zero_copy_only=False) + 1
        if quoted_cells is not None:
            quoted_start += pc.utf8_length(raw).to_numpy(zero_copy_only=False) + 1
    rows = np.concatenate([simple_rows, quoted_rows, np.array([r for r, _ in odd_rows], dtype=np.int64)])
    order = np.argsort(rows, kind="stable")
    for index in needed:
        values[index] = values[index].iloc[order].reset_index(drop=True)
        columns[index] = columns[index].iloc[order].reset_index(drop=True)
    rows = rows[order]
    return _Split(rows=rows, lines=rows + 2, values=values, columns=columns,
                  ragged={r: len(c) for r, c in odd_rows if len(c) != width}, raw_lines=raw_lines,
                  delimiters_only=int(empty.sum()))


def _quoted_line_pattern(delimiter: str, width: int) -> str:
    """RE2: a whole line of `width` cells, each plain (no quote) or quoted and closed right
    before the next delimiter, as the cell tokenizer reads them; cell i is group c<i>."""
    d = f"\\x{{{ord(delimiter):X}}}"
    cell = '"(?:[^"]|"")*"|[^"' + d + '\\r\\n]*'
    return "^" + d.join(f"(?P<c{i}>{cell})" for i in range(width)) + "$"


def _ragged_problem(builder: Builder, cells: int, width: int, line: int, snippet: str) -> None:
    builder.problem(
        "LA602", f"row has {cells} cells but the header has {width}: "
        f"{'values may sit in the wrong columns' if cells > width else 'the last fields are missing'}",
        line=line, column=1, text=snippet, field_name="row", value=cells)


def _by_column(builder: Builder, lay: Layout, text: str, delimiter: str,
               header_cells: list[tuple[str, int]]) -> bool:
    """Read a listings or episodes table column by column (see _split and columns.py);
    False when the file needs the cell tokenizer."""
    import numpy as np
    import pandas as pd

    fields = dict(sorted(lay.columns.items(), key=lambda item: item[1]))
    needed = sorted({*fields.values(), *([lay.id_column] if lay.id_column is not None else [])})
    split = _split(text, delimiter, header_cells, needed)
    if split is None:
        return False
    width = len(header_cells)
    records_count = len(split.rows)
    if lay.id_column is not None:
        idents = split.values[lay.id_column]
    else:
        idents = pd.Series([None] * records_count, dtype=object)
    episodes = lay.table == "episodes"
    has_id = (idents.fillna("").str.strip() != "").to_numpy()
    if episodes:
        added = add_episodes(builder, lay, TableCells(
            line=split.lines[has_id], ident=idents[has_id].fillna(""),
            raw={name: split.values[index][has_id] for name, index in fields.items()},
            column={name: split.columns[index][has_id] for name, index in fields.items()}))
    else:
        added = add_listings(builder, lay, TableCells(
            line=split.lines, ident=idents,
            raw={name: split.values[index] for name, index in fields.items()},
            column={name: split.columns[index] for name, index in fields.items()}))
    if not added:
        return False
    # Problems in row order, as the row-by-row reader reports them.
    ragged_positions = np.flatnonzero(np.isin(split.rows, list(split.ragged)))
    missing_id = np.flatnonzero(~has_id) if episodes else np.array([], dtype=np.int64)
    for position in sorted({*missing_id.tolist(), *ragged_positions.tolist()}):
        row, line = int(split.rows[position]), int(split.lines[position])
        snippet = split.raw_lines[row].as_py()[:80]
        if row in split.ragged:
            _ragged_problem(builder, split.ragged[row], width, line, snippet)
        if episodes and not has_id[position]:
            builder.problem("LA601", "episode row without a listing id", line=line, column=1,
                            field_name="id", text=snippet)
    _delimiters_only(builder, split.delimiters_only)
    return True
