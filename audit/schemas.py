"""Pandera schemas of the tables every rule reads.

They fix each column's type, so that rules can rely on it. A value an adapter could not
type (a year "19xx" in a CSV) fails coercion here; `tables.py` turns that failure into an
LA602 problem and blanks the cell instead of stopping the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow

_TEXT = {"dtype": "str", "nullable": True, "coerce": True}
# Names repeated on every row (a file's path, a claim's field, source and scope): a
# categorical column stores each once and a row as a small integer code.
_NAME = {"dtype": "category", "coerce": True}

LISTINGS = pa.DataFrameSchema(
    {
        "listing_id": pa.Column("str", unique=True, coerce=True),
        "key": pa.Column("str", coerce=True),
        "title_key": pa.Column("str", coerce=True),
        "catalogue": pa.Column("str", coerce=True),
        "id_key": pa.Column("str", coerce=True),
        "path": pa.Column("str", coerce=True),
        "line": pa.Column("Int64", nullable=True, coerce=True),
        "format": pa.Column("str", coerce=True),
        "title": pa.Column(**_TEXT),
        "kind": pa.Column(**_TEXT),
        "year": pa.Column("Int64", nullable=True, coerce=True),
        "complete_episode_list": pa.Column("bool", coerce=True),
    },
    strict=True,
    name="listings",
)

EPISODES = pa.DataFrameSchema(
    {
        "listing_id": pa.Column(**_NAME),
        "episode": pa.Column("int64", pa.Check.ge(0), coerce=True),
        "season": pa.Column("Int64", nullable=True, coerce=True),
        "number": pa.Column("Int64", nullable=True, coerce=True),
        "title": pa.Column(**_TEXT),
        "air_date": pa.Column("datetime64[ns]", nullable=True, coerce=True),
        "synopsis": pa.Column(**_TEXT),
        "special": pa.Column("bool", coerce=True),
        "path": pa.Column(**_NAME),
        "line": pa.Column("Int64", nullable=True, coerce=True),
        "end_line": pa.Column("Int64", nullable=True, coerce=True),
        "heading": pa.Column(**_TEXT),
    },
    strict=True,
    name="episodes",
)

CLAIMS = pa.DataFrameSchema(
    {
        # About 48 claims per listing: its id once per listing, a code per claim.
        "listing_id": pa.Column("category", nullable=True, coerce=True),
        "episode": pa.Column("Int64", nullable=True, coerce=True),
        "scope": pa.Column(**_NAME),
        "field": pa.Column(**_NAME),
        "value": pa.Column(**_TEXT),
        "number": pa.Column("float64", nullable=True, coerce=True),
        "source": pa.Column(**_NAME),
        "path": pa.Column(**_NAME),
        "line": pa.Column("Int64", nullable=True, coerce=True),
        "column": pa.Column("Int64", nullable=True, coerce=True),
        "end_line": pa.Column("Int64", nullable=True, coerce=True),
        "text": pa.Column(**_TEXT),
    },
    strict=True,
    name="claims",
)

PROBLEMS = pa.DataFrameSchema(
    {
        "rule": pa.Column("str", coerce=True),
        "listing_id": pa.Column(**_TEXT),
        "path": pa.Column("str", coerce=True),
        "line": pa.Column("Int64", nullable=True, coerce=True),
        "column": pa.Column("Int64", nullable=True, coerce=True),
        "text": pa.Column(**_TEXT),
        "field": pa.Column(**_TEXT),
        "value": pa.Column(**_TEXT),
        "message": pa.Column("str", coerce=True),
    },
    strict=True,
    name="problems",
)


def compact(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """`frame` with the schema's types wherever giving them cannot fail: names as
    categoricals, text as Arrow strings, integers held as Python objects as nullable
    integers. Readers hand their frames over in this form, so that what they hold until
    the tables are built is a fraction of Python objects' size; the schema still validates
    (and reports what cannot be typed) when the tables are built."""
    for name, column in schema.columns.items():
        if name not in frame.columns:
            continue
        dtype, values = str(column.dtype), frame[name]
        text = isinstance(column.dtype.type, pd.StringDtype)
        if text and values.dtype == object:
            frame[name] = values.astype("str")
        elif dtype == "category":
            if not isinstance(values.dtype, pd.CategoricalDtype):
                frame[name] = values.astype("str").astype("category")
            elif not values.cat.categories.is_monotonic_increasing:
                # Categories in text order: sorting and grouping by the column then order
                # rows as they would by its text.
                frame[name] = values.cat.reorder_categories(values.cat.categories.sort_values())
        elif dtype == "Int64" and values.dtype == object:
            typed = _integers(values)
            if typed is not None:
                frame[name] = typed
    return frame


def _integers(values: pd.Series) -> pd.arrays.IntegerArray | None:
    """Integers held as Python objects (lines, columns, episode numbers) as a nullable
    integer array at C speed, or None when they hold anything else (pandas' own coercion
    inspects each object: most of the validation of a catalogue's claims)."""
    if pd.api.types.infer_dtype(values, skipna=True) not in ("integer", "empty"):
        return None
    try:
        floats = np.asarray(values.to_numpy(), dtype="float64")
    except (TypeError, ValueError):
        return None
    missing = np.isnan(floats)
    if (np.abs(floats[~missing]) >= 2.0 ** 53).any():
        return None  # beyond a float's exact integers
    return pd.arrays.IntegerArray(np.where(missing, 0, floats).astype("int64"), missing)


def concat(frames: list[pd.DataFrame], schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Frames of one table as one, compacted, with each categorical column's categories the
    sorted union of the parts' (pandas turns categoricals that differ into objects) and
    each text column one Arrow chunk (selecting from a chunked column costs a copy of it).

    Takes the frames over (the list is emptied) and builds the result column by column, so
    that each input column is freed as soon as it is copied when nothing else holds it: a
    catalogue's claims are not held twice while they are joined."""
    parts = [compact(frame.copy(deep=False), schema) for frame in frames]
    frames.clear()
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    for name in parts[0].columns:
        if all(isinstance(p[name].dtype, pd.CategoricalDtype) for p in parts):
            categories = pd.Index(sorted(set().union(*(p[name].cat.categories for p in parts))),
                                  dtype="str")
            for part in parts:
                if not part[name].cat.categories.equals(categories):
                    part[name] = part[name].cat.set_categories(categories)
    columns: dict[str, pd.Series] = {}
    for name in list(parts[0].columns):
        columns[name] = contiguous(pd.concat([p[name] for p in parts], ignore_index=True))
        for part in parts:
            del part[name]
    return pd.DataFrame(columns, copy=False)  # the columns are this function's own: no second copy


def contiguous(column: pd.Series) -> pd.Series:
    """An Arrow-backed column as one chunk. Tables joined from many inputs hold many
    chunks, and selecting a few rows of a chunked column costs as much as copying it whole:
    the rules select from these tables dozens of times."""
    chunked = getattr(column.array, "_pa_array", None)
    if chunked is None or chunked.num_chunks <= 1:
        return column
    try:
        single = chunked.combine_chunks()
    except (pyarrow.ArrowInvalid, pyarrow.ArrowCapacityError):
        return column  # beyond one chunk's 2 GiB of text: stays chunked
    return pd.Series(pd.array(single, dtype=column.dtype), index=column.index, name=column.name)
