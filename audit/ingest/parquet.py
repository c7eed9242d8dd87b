"""Parquet tables of listings or episodes, for pipelines that already hold the catalogue.

Columns are named as in a catalogue CSV (or mapped with --mapping); each row becomes a
listing (or an episode of the listing named by its id column). Parquet has no lines: the
evidence "line" of a value is its row number (1-based) and its column the column's position.
A run on Dask may read a large file's row groups in parts (RowGroups): each row keeps its
number in the file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import Builder, UnreadableInput
from .columns import TableCells, add_episodes, add_listings
from .rows import Cell, EpisodeRows, Layout, layout, listing_row

FORMAT = "parquet"
BINARY = True
MAPPABLE = True
MAGIC = b"PAR1"


def sniff(head: bytes, suffix: str) -> bool:
    return head[:4] == MAGIC


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return ", ".join(_text(v) for v in value.tolist())
    return str(value)


@dataclass(frozen=True)
class RowGroups:
    """Row groups [first, end) of the Parquet file at `path`, the first of them starting at
    row `first_row` (0-based) of the file: what a partition of the file reads."""

    path: Path
    first: int
    end: int
    first_row: int


def read(builder: Builder, data: bytes | RowGroups, mapping: dict[str, Any] | None = None) -> None:
    import pyarrow.parquet as pq

    try:
        if isinstance(data, RowGroups):
            # Only these row groups' column chunks are read from the file.
            table = pq.ParquetFile(data.path).read_row_groups(range(data.first, data.end))
        else:
            table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any pyarrow failure means "not readable"
        raise UnreadableInput(f"the Parquet file cannot be read: {exc}") from None
    first = data.first_row + 1 if isinstance(data, RowGroups) else 1
    header = list(table.column_names)
    lay = layout(header, mapping)
    if lay is None:
        raise UnreadableInput("the Parquet table names no title column (columns: "
                              f"{', '.join(header[:12])}); pass --mapping to say which is which")
    for field_name, column_name in lay.missing:
        builder.problem("LA601", f"the mapping reads {field_name} from column \u201c{column_name}\u201d, "
                        "but the table has no such column", field_name=field_name)
    if lay.table == "episodes" and _episodes(builder, lay, table, first):
        return
    if lay.table == "listings" and _listings(builder, lay, table, first):
        return
    columns = {name: table.column(index).to_pylist() for name, index in lay.columns.items()}
    ids = table.column(lay.id_column).to_pylist() if lay.id_column is not None else None
    episodes = EpisodeRows(builder, lay) if lay.table == "episodes" else None
    for row in range(table.num_rows):
        line = row + first
        cells = {name: Cell(_text(values[row]), line, lay.columns[name] + 1)
                 for name, values in columns.items()}
        ident = _text(ids[row]) if ids is not None else None
        if episodes is not None:
            if ident:
                episodes.add(cells, ident, line)
            else:
                builder.problem("LA601", f"episode row {line} has no listing id", line=line,
                                field_name="id")
        else:
            listing_row(builder, lay, cells, ident, line)


def _texts(column: Any) -> Any:
    """_text() of every value of a column, computed once per distinct value."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return pd.Series(column.to_pandas(types_mapper=None), dtype=object).fillna("")
    try:
        encoded = pc.dictionary_encode(column).combine_chunks()
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pd.Series([_text(v) for v in column.to_pylist()], dtype=object)
    texts = np.empty(len(encoded.dictionary) + 1, dtype=object)
    texts[:-1] = [_text(v) for v in encoded.dictionary.to_pylist()]
    texts[-1] = ""  # null
    indices = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return pd.Series(texts[indices], dtype=object)


def _episodes(builder: Builder, lay: Layout, table: Any, first: int) -> bool:
    """An episodes table, column by column (see columns.py); the same rows as EpisodeRows.
    False (nothing added) when a value needs the row-by-row reader. `first`: the first
    row's number."""
    import numpy as np
    import pandas as pd

    if lay.id_column is None:
        idents = pd.Series([""] * table.num_rows, dtype=object)
    else:
        idents = _texts(table.column(lay.id_column))
    has_id = (idents != "").to_numpy()
    lines = np.arange(first, table.num_rows + first)[has_id]
    raw = {name: _texts(table.column(index))[has_id] for name, index in lay.columns.items()}
    column = {name: pd.Series(index + 1, index=raw[name].index) for name, index in lay.columns.items()}
    if not add_episodes(builder, lay, TableCells(line=lines, ident=idents[has_id], raw=raw, column=column)):
        return False
    for row in np.flatnonzero(~has_id):
        line = int(row) + first
        builder.problem("LA601", f"episode row {line} has no listing id", line=line, field_name="id")
    return True


def _listings(builder: Builder, lay: Layout, table: Any, first: int) -> bool:
    """A listings table, column by column (see columns.py); the same rows and claims as
    listing_row(). False (nothing added) when a value needs the row-by-row reader. `first`:
    the first row's number."""
    import numpy as np
    import pandas as pd

    rows = table.num_rows
    if lay.id_column is None:
        idents = pd.Series([None] * rows, dtype=object)
    else:
        idents = _texts(table.column(lay.id_column))
    raw = {name: _texts(table.column(index)) for name, index in lay.columns.items()}
    column = {name: pd.Series(index + 1, index=raw[name].index, dtype=object)
              for name, index in lay.columns.items()}
    return add_listings(builder, lay, TableCells(line=np.arange(first, rows + first), ident=idents,
                                                 raw=raw, column=column))
