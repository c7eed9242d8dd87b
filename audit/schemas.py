"""Pandera schemas of the tables every rule reads.

They fix each column's type, so that rules can rely on it. A value an adapter could not
type (a year "19xx" in a CSV) fails coercion here; `tables.py` turns that failure into an
LA602 problem and blanks the cell instead of stopping the run.
"""

from __future__ import annotations

import pandera.pandas as pa

_TEXT = {"dtype": "str", "nullable": True, "coerce": True}

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
        "listing_id": pa.Column("str", coerce=True),
        "episode": pa.Column("int64", pa.Check.ge(0), coerce=True),
        "season": pa.Column("Int64", nullable=True, coerce=True),
        "number": pa.Column("Int64", nullable=True, coerce=True),
        "title": pa.Column(**_TEXT),
        "air_date": pa.Column("datetime64[ns]", nullable=True, coerce=True),
        "synopsis": pa.Column(**_TEXT),
        "special": pa.Column("bool", coerce=True),
        "path": pa.Column("str", coerce=True),
        "line": pa.Column("Int64", nullable=True, coerce=True),
        "end_line": pa.Column("Int64", nullable=True, coerce=True),
        "heading": pa.Column(**_TEXT),
    },
    strict=True,
    name="episodes",
)

CLAIMS = pa.DataFrameSchema(
    {
        "listing_id": pa.Column(**_TEXT),
        "episode": pa.Column("Int64", nullable=True, coerce=True),
        "scope": pa.Column("str", coerce=True),
        "field": pa.Column("str", coerce=True),
        "value": pa.Column(**_TEXT),
        "number": pa.Column("float64", nullable=True, coerce=True),
        "source": pa.Column("str", coerce=True),
        "path": pa.Column("str", coerce=True),
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
