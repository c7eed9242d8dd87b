"""Tables of records (CSV, Parquet) to listings, episodes and claims.

A table is either a listings table (one row per title) or an episodes table (one row per
episode, with the id of its listing). `layout()` decides which, from the header and the
optional --mapping; `ListingRows` and `EpisodeRows` turn cells into rows and claims.
Episodes tables make a stand-in listing per id, which `link()` merges into the listing of
the same id read from another input of the run (see audit/ingest/link.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .base import Builder
from .records import KINDS, STATUSES, Emitter, iso_date, number_of

# Column names (folded: lower case, no spaces or underscores) read without a mapping.
_LISTING_NAMES = {
    "title": "title", "name": "title", "type": "kind", "kind": "kind", "year": "year",
    "releaseyear": "year", "status": "status", "episodecount": "episode_count",
    "episodes": "episode_count", "seasoncount": "season_count", "seasons": "season_count",
    "premieredate": "premiere_date", "premiered": "premiere_date", "enddate": "end_date",
    "rating": "rating", "votes": "votes", "description": "description", "summary": "summary",
    "contentrating": "content_rating", "duration": "duration", "runtime": "runtime",
    "dateadded": "date_added", "director": "director", "cast": "cast", "country": "country",
    "listedin": "listed_in", "genres": "genres", "genre": "genres",
}
_EPISODE_NAMES = {
    "showtitle": "title", "season": "season", "episodenumber": "episode_number",
    "number": "episode_number", "episode": "episode_number", "episodetitle": "episode_title",
    "airdate": "air_date", "synopsis": "synopsis", "special": "special",
}
_ID_NAMES = ("id", "listingid", "listing", "showid", "seriesid", "key")
# The Netflix titles catalogue: "rating" there is the content rating (TV-MA, PG-13...).
_NETFLIX = {"showid", "type", "title", "director", "cast", "country", "dateadded",
            "releaseyear", "rating", "duration", "listedin", "description"}

# Fields whose empty cell is itself a finding (LA601 missing-field).
REQUIRED = ("kind", "content_rating", "date_added", "year", "duration", "listed_in")
_NUMBERS = ("year", "episode_count", "season_count", "rating", "votes", "runtime")
_DATES = ("premiere_date", "end_date", "date_added")
_TEXTS = ("content_rating", "director", "cast", "country", "listed_in", "genres")
_DURATION = re.compile(r"^\s*(?P<n>\d{1,4})\s*(?P<unit>min(?:ute)?s?|seasons?)\s*$", re.IGNORECASE)
_TRUE = {"true", "yes", "1", "y", "special"}


def fold(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


@dataclass
class Layout:
    table: str                         # "listings" or "episodes"
    columns: dict[str, int]            # field -> column index
    id_column: int | None = None
    id_prefix: str = ""
    kinds: dict[str, str] = field(default_factory=dict)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (field, column) not in header


def layout(header: list[str], mapping: dict[str, Any] | None) -> Layout | None:
    """How to read a table with this header, or None when it holds no listing data."""
    names = [str(h).strip() for h in header]
    index = {name: i for i, name in reversed(list(enumerate(names)))}
    folded = {fold(name): i for i, name in reversed(list(enumerate(names)))}
    for section in ("episodes", "listings"):
        spec = (mapping or {}).get(section)
        if not spec:
            continue
        columns = {f: index[c.strip()] for f, c in spec["columns"].items() if c.strip() in index}
        missing = [(f, c) for f, c in spec["columns"].items() if c.strip() not in index]
        id_column = index.get(str(spec["id"]).strip()) if spec.get("id") else None
        if section == "episodes" and (id_column is None or not set(columns) - {"title"}):
            continue
        if section == "listings" and "title" not in columns:
            continue
        return Layout(section, columns, id_column, spec["id_prefix"], spec["kinds"], missing)
    id_column = next((folded[n] for n in _ID_NAMES if n in folded), None)
    episode_columns = {f: folded[n] for n, f in _EPISODE_NAMES.items() if n in folded}
    if id_column is not None and "episode_number" in episode_columns:
        return Layout("episodes", episode_columns, id_column)
    columns = {}
    for name, i in folded.items():
        target = _LISTING_NAMES.get(name)
        if target and target not in columns:
            columns[target] = i
    if "title" not in columns:
        return None
    netflix = _NETFLIX <= set(folded)
    if netflix:
        columns["content_rating"] = columns.pop("rating")
    return Layout("listings", columns, id_column)


@dataclass
class Cell:
    raw: str
    line: int | None
    column: int | None


def _set(out: Emitter, cell: Cell) -> Emitter:
    out.line, out.column = cell.line, cell.column
    return out


def listing_row(builder: Builder, lay: Layout, cells: dict[str, Cell], ident: str | None,
                line: int | None) -> str:
    title_cell = cells.get("title")
    title = title_cell.raw.strip() if title_cell and title_cell.raw.strip() else None
    kind_raw = cells["kind"].raw.strip() if "kind" in cells else ""
    kind = lay.kinds.get(kind_raw.casefold()) or KINDS.get(kind_raw.casefold())
    year_number = number_of(cells["year"].raw) if "year" in cells else None
    year = int(year_number) if year_number is not None and year_number.is_integer() else None
    key = builder.row_key(ident, lay.id_prefix) if ident and ident.strip() else None
    listing_id = builder.listing(title or "", line=line, key=key, kind=kind, year=year)
    out = Emitter(builder, listing_id, None)
    for name, cell in cells.items():
        raw = cell.raw
        _set(out, cell)
        if not raw.strip():
            if name in REQUIRED:
                out.claim(name, "", text=raw)
            continue
        if name == "title":
            out.claim("title", title, text=raw)
        elif name == "kind":
            out.claim("kind", kind or kind_raw, text=raw)
        elif name in _NUMBERS:
            out.count(name, raw.strip(), text=raw)
        elif name in _DATES:
            out.claim(name, iso_date(raw) or raw.strip(), text=raw)
        elif name == "status":
            out.claim("status", STATUSES.get(raw.strip().casefold(), raw.strip()), text=raw)
        elif name == "duration":
            out.claim("duration", raw.strip(), text=raw)
            match = _DURATION.match(raw)
            if match:
                column = None if cell.column is None else cell.column + match.start("n")
                unit = match.group("unit").casefold()
                target = "season_count" if unit.startswith("season") else "runtime"
                out.count(target, int(match.group("n")), text=raw.strip(), column=column,
                          line=cell.line)
        elif name in ("description", "summary"):
            out.prose(name, raw, (), title)
        else:
            out.claim(name, raw.strip(), text=raw)
    return listing_id


class EpisodeRows:
    """Episodes grouped by listing id; each id gets one stand-in listing, linked later."""

    def __init__(self, builder: Builder, lay: Layout):
        self.b = builder
        self.lay = lay
        self.listings: dict[str, str] = {}

    def add(self, cells: dict[str, Cell], ident: str, line: int | None) -> None:
        key = self.b.row_key(ident, self.lay.id_prefix)
        listing_id = self.listings.get(key)
        if listing_id is None:
            title = cells["title"].raw.strip() if "title" in cells and cells["title"].raw.strip() else None
            listing_id = self.b.listing(title or key, line=line, key=key)
            self.b.out.listings[-1]["stub"] = True
            self.listings[key] = listing_id
        value = {name: cell.raw.strip() for name, cell in cells.items()}

        def integer(name: str) -> int | None:
            number = number_of(value.get(name))
            return int(number) if number is not None and number.is_integer() else None

        season, number = integer("season"), integer("episode_number")
        title = value.get("episode_title") or None
        special = value.get("special", "").casefold() in _TRUE or season == 0
        index = self.b.episode(listing_id, season=season, number=number, title=title,
                               air_date=iso_date(value.get("air_date")) if value.get("air_date") else None,
                               synopsis=value.get("synopsis") or None, line=line,
                               heading=f"{number}. {title or ''}".strip() if number is not None else (title or ""),
                               special=special)
        out = Emitter(self.b, listing_id, None)
        for name in ("episode_number", "episode_title", "air_date", "synopsis"):
            cell = cells.get(name)
            if cell is None or not cell.raw.strip():
                continue
            _set(out, cell)
            if name == "episode_number":
                out.count(name, cell.raw.strip(), text=cell.raw, episode=index)
            elif name == "air_date":
                out.claim(name, iso_date(cell.raw) or cell.raw.strip(), text=cell.raw, episode=index)
            else:
                out.claim(name, cell.raw.strip(), text=cell.raw, episode=index)
