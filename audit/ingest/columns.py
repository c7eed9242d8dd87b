"""Episodes tables (CSV, Parquet) turned into episode and claim rows column by column.

`EpisodeRows` (rows.py) does the same one row at a time; this module gives the same rows,
values and positions for a whole table at once, so that a catalogue of millions of episodes
is not millions of Python dicts. Each value is canonicalised once per distinct value (a
season, a number, a date repeat across a catalogue) with the very functions EpisodeRows uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from .base import Builder
from .records import iso_date, number_of, text_of
from .rows import _TRUE, Layout

# The episode fields that become claims, in the order EpisodeRows states them.
_CLAIMED = ("episode_number", "episode_title", "air_date", "synopsis")
EPISODE_FRAME_COLUMNS = ["listing_id", "episode", "season", "number", "title", "air_date",
                         "synopsis", "special", "path", "line", "end_line", "heading"]


@dataclass
class TableCells:
    """The cells of a table's rows that carry a listing id, column by column.

    `raw[field]` holds each row's cell text (None where a short row has no such cell) and
    `column[field]` its 1-based column; `line` is each row's line (its row number in Parquet).
    """
    line: np.ndarray
    ident: pd.Series
    raw: dict[str, pd.Series]
    column: dict[str, pd.Series]


def _per_value(values: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """function() of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [function(value) for value in uniques]
    return pd.Series(results[codes], index=values.index, dtype=object)


def _integer(text: str) -> int | None:
    number = number_of(text)
    return int(number) if number is not None and number.is_integer() else None


def _count_value(text: str) -> tuple[str, float | None]:
    """The value and number Emitter.count() gives a cell."""
    number = number_of(text)
    value = text_of(text).strip() if number is None else (
        str(int(number)) if number.is_integer() else str(number))
    return value, number


def add_episodes(builder: Builder, lay: Layout, cells: TableCells) -> None:
    """Stand-in listings, episodes and claims of an episodes table, as EpisodeRows makes them."""
    rows = len(cells.line)
    if rows == 0:
        return
    index = pd.RangeIndex(rows)
    empty = pd.Series([""] * rows, index=index, dtype=object)
    raw = {name: values.reset_index(drop=True) for name, values in cells.raw.items()}
    stripped = {name: values.fillna("").astype(object).str.strip() for name, values in raw.items()}
    line = pd.Series(cells.line, index=index)

    keys = lay.id_prefix + cells.ident.reset_index(drop=True).astype(object).str.strip()
    first = ~keys.duplicated()
    titles = stripped.get("title", empty)
    owner: dict[str, str] = {}
    for key, title, at in zip(keys[first], titles[first], line[first]):
        owner[key] = builder.listing(title or key, line=int(at), key=key)
        builder.out.listings[-1]["stub"] = True
    listing_ids = keys.map(owner)
    episode = listing_ids.groupby(listing_ids, sort=False).cumcount()

    season = _per_value(stripped.get("season", empty), _integer)
    number = _per_value(stripped.get("episode_number", empty), _integer)
    title = stripped.get("episode_title", empty)
    special = _per_value(stripped.get("special", empty), lambda v: v.casefold() in _TRUE) | (season == 0)
    numbered = number.notna()
    number_text = _per_value(number[numbered], str)
    heading = title.copy()
    heading[numbered] = (number_text + ". " + title[numbered]).str.strip()
    air_date = _per_value(stripped.get("air_date", empty), lambda v: iso_date(v) if v else None)
    synopsis = stripped.get("synopsis", empty)
    frame = pd.DataFrame({
        "listing_id": listing_ids, "episode": episode, "season": season, "number": number,
        "title": title.where(title != "", None), "air_date": air_date,
        "synopsis": synopsis.where(synopsis != "", None), "special": special.astype(bool),
        "path": builder.path, "line": line, "end_line": line, "heading": heading,
    }, columns=EPISODE_FRAME_COLUMNS)
    builder.add_episode_frame(frame)

    parts = []
    for order, name in enumerate(_CLAIMED):
        if name not in raw:
            continue
        keep = stripped[name] != ""
        text = raw[name][keep]
        value = stripped[name][keep]
        number_column = pd.Series(np.nan, index=value.index)
        if name == "episode_number":
            number_column = _per_value(value, lambda v: _count_value(v)[1]).astype(float)
            value = _per_value(value, lambda v: _count_value(v)[0])
        elif name == "air_date":
            value = _per_value(value, lambda v: iso_date(v) or v)
        parts.append(pd.DataFrame({
            "row": value.index, "order": order, "listing_id": listing_ids[keep],
            "episode": episode[keep], "scope": "", "field": name, "value": value,
            "number": number_column, "source": "field", "path": builder.path,
            "line": line[keep], "column": cells.column[name].reset_index(drop=True)[keep],
            "end_line": line[keep], "text": text}))
    if parts:
        claims = pd.concat(parts).sort_values(["row", "order"], kind="stable")
        builder.add_claim_frame(claims.drop(columns=["row", "order"]).reset_index(drop=True))
