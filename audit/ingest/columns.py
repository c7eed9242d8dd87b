"""Listings and episodes tables (CSV, Parquet) turned into rows and claims column by column.

`listing_row` and `EpisodeRows` (rows.py) do the same one row at a time; this module gives the same rows,
values and positions for a whole table at once, so that a catalogue of millions of episodes
is not millions of Python dicts. Each value is canonicalised once per distinct value (a
season, a number, a date repeat across a catalogue) with the very functions EpisodeRows uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..arrow_ops import strip_space
from .base import Builder, _date_out_of_range, _day, _whole, unfit_number
from .prose import extract
from .records import KINDS, STATUSES, iso_date, number_of, text_of
from .rows import _DATES, _DURATION, _NUMBERS, _TRUE, REQUIRED, Layout

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


def _plain_digits(values: pd.Series) -> np.ndarray:
    """Which values are 1-15 ASCII digits: a count every reader takes the same way."""
    try:
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return np.zeros(len(values), dtype=bool)  # not all text: each value read as it is
    return pc.fill_null(pc.match_substring_regex(array, "^[0-9]{1,15}$"), False) \
        .to_numpy(zero_copy_only=False)


def _counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """_count_value() of each value: plain digits (votes, counts: mostly distinct in a
    catalogue) by Arrow, exactly as int() reads them; the rest once per distinct value."""
    digits = _plain_digits(values)
    value = pd.Series(np.empty(len(values), dtype=object), index=values.index)
    number = pd.Series(np.nan, index=values.index, dtype=float)
    if digits.any():
        ints = pc.cast(pa.array(values[digits], type=pa.large_string()), pa.int64())
        value[digits] = pc.cast(ints, pa.string()).to_numpy(zero_copy_only=False)
        number[digits] = ints.to_numpy().astype(float)
    rest = ~digits
    if rest.any():
        value[rest] = _per_value(values[rest], lambda v: _count_value(v)[0]).to_numpy()
        number[rest] = _per_value(values[rest], lambda v: _count_value(v)[1]).astype(float).to_numpy()
    return value, number


def _unfit(values: pd.Series, test: Callable[[Any], bool]) -> bool:
    return any(test(value) for value in pd.unique(values))


def add_episodes(builder: Builder, lay: Layout, cells: TableCells) -> bool:
    """Stand-in listings, episodes and claims of an episodes table, as EpisodeRows makes them.

    False, before anything is added, when a value is one the builder reports as unusable
    (a number beyond 64 bits, NaN, a date out of range): the row-by-row reader reports those.
    """
    rows = len(cells.line)
    if rows == 0:
        return True
    plain = {name: strip_space(values.fillna("").astype(object)) for name, values in cells.raw.items()}
    if any(_unfit(plain[name], lambda v: _whole(_integer(v))[1] is not None
                  or unfit_number(_count_value(v)[1]) is not None)
           for name in ("season", "episode_number") if name in plain) \
            or ("air_date" in plain and _unfit(plain["air_date"], lambda v: _date_out_of_range(
                iso_date(v)) or _date_out_of_range(iso_date(v) or v))):
        return False
    index = pd.RangeIndex(rows)
    empty = pd.Series([""] * rows, index=index, dtype=object)
    raw = {name: values.reset_index(drop=True) for name, values in cells.raw.items()}
    stripped = {name: values.reset_index(drop=True) for name, values in plain.items()}
    del plain  # the same values: one copy of every cell's text is enough
    line = pd.Series(cells.line, index=index)

    keys = _per_value(cells.ident.reset_index(drop=True).astype(object),
                      lambda v: builder.row_key(v, lay.id_prefix))
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
    # A year alone or text is no day to order episodes by (Builder.episode).
    air_date = _per_value(stripped.get("air_date", empty),
                          lambda v: day if v and (day := iso_date(v)) and _day(day) else None)
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
        builder.add_claim_frame(_ordered(parts, ["row", "order"]))
    return True


def _kind(lay: Layout, raw: str) -> str | None:
    return lay.kinds.get(raw.casefold()) or KINDS.get(raw.casefold())


def add_listings(builder: Builder, lay: Layout, cells: TableCells) -> bool:
    """Listings and their claims of a listings table, as listing_row() makes them row by row.

    Claims keep listing_row's order (row by row, cell by cell, a description's facts after
    the description); only prose is read one value at a time.
    """
    rows = len(cells.line)
    if rows == 0:
        return True
    index = pd.RangeIndex(rows)
    empty = pd.Series([""] * rows, index=index, dtype=object)
    raw = {name: values.reset_index(drop=True).fillna("").astype(object) for name, values in cells.raw.items()}
    where = {name: values.reset_index(drop=True) for name, values in cells.column.items()}
    stripped = {name: strip_space(values) for name, values in raw.items()}
    line = pd.Series(cells.line, index=index)
    title = stripped.get("title", empty)
    # Prose first: with every value checked, nothing is added when the row-by-row reader
    # must report an unusable value (a number beyond 64 bits, NaN, a date out of range).
    facts: dict[tuple[str, int], list] = {}
    for name in ("description", "summary"):
        if name in stripped:
            for row in np.flatnonzero((stripped[name] != "").to_numpy()):
                found = extract(raw[name].iat[row], title.iat[row] or None)
                if any(unfit_number(f.number) or (f.field.endswith("date") and _date_out_of_range(f.value))
                       for f in found):
                    return False
                facts[(name, int(row))] = found
    for name in stripped:
        if name in _NUMBERS and _unfit(stripped[name][~_plain_digits(stripped[name])],
                                       lambda v: v != "" and unfit_number(_count_value(v)[1]) is not None):
            return False
        if name.endswith("date") and _unfit(stripped[name], lambda v: v != "" and _date_out_of_range(iso_date(v) or v)):
            return False

    kind_raw = stripped.get("kind", empty)
    kind = _per_value(kind_raw, lambda v: _kind(lay, v))
    year = _per_value(raw["year"], _integer) if "year" in raw else pd.Series(None, index=index, dtype=object)
    idents = strip_space(cells.ident.reset_index(drop=True).fillna("").astype(object))
    keys = _per_value(idents, lambda v: builder.row_key(v, lay.id_prefix) if v else None)
    listing_ids = []
    for at, name, key, kind_value, year_value in zip(line, title, keys, kind, year):
        listing_ids.append(builder.listing(name, line=int(at), key=key, kind=kind_value,
                                           year=year_value))
    listing_ids = pd.Series(listing_ids, index=index, dtype=object)

    parts = []
    prose_rows: list[dict] = []
    for order, name in enumerate(raw):
        text, value_text = raw[name], stripped[name]
        present = value_text != ""
        if name in REQUIRED:
            blank = ~present
            parts.append(_claims(builder.path, blank, order, listing_ids, name, empty, np.nan, line, where[name], text))
        if not present.any():
            continue
        number = np.nan
        if name == "title":
            value = title
        elif name == "kind":
            value = kind.where(kind.notna(), kind_raw)
        elif name in _NUMBERS:
            value, number = _counts(value_text)
        elif name in _DATES:
            value = _per_value(value_text, lambda v: iso_date(v) or v)
        elif name == "status":
            value = _per_value(value_text, lambda v: STATUSES.get(v.casefold(), v))
        elif name in ("description", "summary"):
            for row in np.flatnonzero(present.to_numpy()):
                prose_rows += _prose(builder, order, int(row), listing_ids.iat[row], name,
                                     text.iat[row], line.iat[row], where[name].iat[row],
                                     facts[(name, int(row))])
            continue
        else:
            value = value_text
        parts.append(_claims(builder.path, present, order, listing_ids, name, value, number, line, where[name], text))
        if name == "duration":
            parts.append(_durations(builder.path, present, order, listing_ids, raw[name], line, where[name]))
    if prose_rows:
        parts.append(pd.DataFrame(prose_rows))
    parts = [p for p in parts if len(p)]
    if parts:
        builder.add_claim_frame(_ordered(parts, ["row", "order", "sub"]))
    return True


def _ordered(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """The parts as one frame without the `keys` columns, its rows stably sorted by them.

    Built column by column, each part's column dropped once copied: concatenating whole
    frames and then sorting them held three copies of an episodes table's claims at once."""
    order = np.lexsort([np.concatenate([part[key].to_numpy() for part in parts])
                        for key in reversed(keys)])
    columns: dict[str, pd.Series] = {}
    for name in [c for c in parts[0].columns if c not in keys]:
        column = pd.concat([part[name] for part in parts], ignore_index=True)
        for part in parts:
            del part[name]
        columns[name] = column.take(order).reset_index(drop=True)
    return pd.DataFrame(columns, copy=False)  # the columns are this function's own: no second copy


def _claims(path: str, keep: pd.Series, order: int, listing_ids: pd.Series, name: str, value: Any,
            number: Any, line: pd.Series, column: pd.Series, text: pd.Series,
            sub: int = 0) -> pd.DataFrame:
    pick = keep.to_numpy()
    rows = np.flatnonzero(pick)
    return pd.DataFrame({
        "row": rows, "order": order, "sub": sub, "listing_id": listing_ids.to_numpy()[pick],
        "episode": None, "scope": "", "field": name,
        "value": value.to_numpy()[pick] if isinstance(value, pd.Series) else value,
        "number": number.to_numpy()[pick] if isinstance(number, pd.Series) else number,
        "source": "field", "path": path,
        "line": line.to_numpy()[pick], "column": column.to_numpy()[pick],
        "end_line": line.to_numpy()[pick], "text": text.to_numpy()[pick],
    })


def _durations(path: str, present: pd.Series, order: int, listing_ids: pd.Series, raw: pd.Series,
               line: pd.Series, column: pd.Series) -> pd.DataFrame:
    """'90 min' states a runtime and '3 Seasons' a season count (listing_row's duration)."""
    def parse(text: str):
        match = _DURATION.match(text)
        if not match:
            return None
        unit = match.group("unit").casefold()
        return ("season_count" if unit.startswith("season") else "runtime",
                int(match.group("n")), match.start("n"))
    parsed = _per_value(raw.where(present, ""), lambda v: parse(v) if v else None)
    keep = parsed.notna()
    if not keep.any():
        return pd.DataFrame()
    found = parsed[keep]
    frame = _claims(path, keep, order, listing_ids, "", "", np.nan, line, column, raw.str.strip(), sub=1)
    frame["field"] = [p[0] for p in found]
    frame["value"] = [str(p[1]) for p in found]
    frame["number"] = [float(p[1]) for p in found]
    frame["column"] = [None if c is None or pd.isna(c) else c + p[2] for c, p in zip(frame["column"], found)]
    return frame


def _prose(builder: Builder, order: int, row: int, listing_id: str, name: str, raw: str,
           line: int, column: Any, found: list) -> list[dict]:
    """Emitter.prose() for one description: the text and each fact it states."""
    column = None if column is None or pd.isna(column) else int(column)
    common = {"row": row, "order": order, "listing_id": listing_id, "episode": None,
              "path": builder.path, "line": line, "end_line": line}
    out = [{**common, "sub": 0, "scope": "", "field": name, "value": raw.strip(), "number": np.nan,
            "source": "field", "column": column, "text": raw}]
    exact = "\\" not in raw and "\n" not in raw
    for sub, fact in enumerate(found, start=1):
        out.append({**common, "sub": sub, "scope": getattr(fact, "scope", ""), "field": fact.field,
                    "value": None if fact.value is None else str(fact.value),
                    "number": np.nan if fact.number is None else fact.number, "source": name,
                    "column": column + fact.start if exact and column is not None else column,
                    "text": fact.text})
    return out
