"""What the structured adapters (JSON, TVmaze, TMDB, CSV, Parquet, JSON-LD) share.

- `load_json`: parse a JSON document and keep where every value sits (line and column in
  the original file), so evidence can point a person at the line, not only a JSON pointer.
- `Emitter`: add claims for one listing from record fields, each at its position.
- `strip_html`: the visible text of an HTML fragment (TVmaze summaries are HTML).
- `KINDS`, `STATUSES`, `iso_date`: the canonical forms of values feeds spell many ways.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Iterable

import json_source_map

from .base import Builder, UnreadableInput
from .dates import parse_date
from .prose import extract

KINDS = {
    "movie": "movie", "film": "movie", "feature": "movie", "tv movie": "movie",
    "series": "series", "tv show": "series", "tv series": "series", "show": "series",
    "tvseries": "series", "miniseries": "miniseries", "mini-series": "miniseries",
    "limited series": "miniseries", "tv mini series": "miniseries",
}
STATUSES = {
    "running": "running", "returning series": "running", "ongoing": "running",
    "continuing": "running", "in production": "upcoming", "planned": "upcoming",
    "pilot": "upcoming", "upcoming": "upcoming", "in development": "upcoming",
    "ended": "ended", "canceled": "ended", "cancelled": "ended", "finished": "ended",
}
_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?(?:[T ].*)?$")


def iso_date(text: Any) -> str | None:
    """ISO "YYYY-MM-DD" (or "YYYY") from a feed's date, a timestamp or a spelled-out date."""
    if text is None:
        return None
    return _iso_date(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _iso_date(text: str) -> str | None:
    # A catalogue repeats its dates (a weekly show, a release day): each is parsed once.
    raw = text.strip()
    if not raw:
        return None
    match = _ISO_PREFIX.match(raw)
    if match:
        if match.group(2) is None:
            return match.group(1)
        return parse_date(f"{match.group(1)}-{match.group(2)}-{match.group(3)}")
    return parse_date(raw)


def pointer(*parts: Any) -> str:
    """An RFC 6901 JSON pointer, for messages."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class Positions:
    """Where each value of a parsed JSON document sits in the original file (1-based)."""

    def __init__(self, text: str, *, line_offset: int = 0, column_offset: int = 0):
        try:
            self._map = json_source_map.calculate(text)
        except Exception:  # noqa: BLE001 - positions are a help, never a reason to fail
            self._map = {}
        self.line_offset = line_offset
        self.column_offset = column_offset

    def at(self, path: Iterable[Any]) -> tuple[int | None, int | None]:
        """(line, column) of the value at `path` (keys and indexes), or of its nearest parent."""
        parts = [str(p) for p in path]
        while True:
            entry = self._map.get("".join("/" + p for p in parts))
            if entry is not None:
                start = entry.value_start
                column = start.column + 1 + (self.column_offset if start.line == 0 else 0)
                return start.line + 1 + self.line_offset, column
            if not parts:
                return (1 + self.line_offset, 1 + self.column_offset) if self._map else (None, None)
            parts.pop()


def load_json(text: str, *, line_offset: int = 0, column_offset: int = 0) -> tuple[Any, Positions]:
    """Parse JSON; a syntax error becomes UnreadableInput with its line and column."""
    try:
        data = json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as exc:
        line = exc.lineno + line_offset
        column = exc.colno + (column_offset if exc.lineno == 1 else 0)
        lines = text.splitlines()
        snippet = lines[exc.lineno - 1].strip()[:80] if 0 < exc.lineno <= len(lines) else ""
        raise UnreadableInput(f"malformed JSON: {exc.msg} at line {line}, column {column}",
                              line=line, column=column, text=snippet) from None
    except RecursionError:
        raise UnreadableInput("malformed JSON: nested too deeply") from None
    if _SURROGATE_ESCAPE.search(text):
        data = _whole_characters(data)
    return data, Positions(text, line_offset=line_offset, column_offset=column_offset)


# Python refuses to turn more than 4,300 digits into an int (and the tables hold 64 bits): a
# longer JSON integer is read as an infinite float, which the builder reports as LA401.
_MAX_DIGITS = 400
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _integer(text: str) -> int | float:
    if len(text) > _MAX_DIGITS:
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


def _whole_characters(value: Any) -> Any:
    """Strings with every lone UTF-16 surrogate ("\\ud83c", half of a character) replaced by
    U+FFFD, which LA504 reports as encoding damage; pairs become the character they spell."""
    if isinstance(value, str):
        if not _LONE_SURROGATE.search(value):
            return value
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_whole_characters(v) for v in value]
    if isinstance(value, dict):
        return {_whole_characters(k): _whole_characters(v) for k, v in value.items()}
    return value


def looks_like_json(head: str) -> bool:
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped[:1] in ("{", "[")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("br", "p", "li", "div"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_html(fragment: str | None) -> str | None:
    """The text of an HTML fragment with tags dropped, entities decoded and space folded."""
    if fragment is None:
        return None
    if "<" not in fragment and "&" not in fragment:
        return fragment
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def number_of(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def text_of(value: Any) -> str:
    """The source text of a JSON value: strings as they are, lists joined, numbers as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(text_of(v.get("name") if isinstance(v, dict) else v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Emitter:
    """Adds claims of one listing, placing each at the position of the value it comes from."""

    builder: Builder
    listing_id: str
    positions: Positions | None = None
    source: str = "field"
    base: tuple = ()
    # A fixed position (CSV and Parquet rows have no positions map).
    line: int | None = None
    column: int | None = None

    def where(self, path: Iterable[Any]) -> tuple[int | None, int | None]:
        if self.positions is None:
            return self.line, self.column
        return self.positions.at((*self.base, *path))

    def claim(self, field_name: str, value: Any, path: Iterable[Any] = (), *, text: str | None = None,
              number: float | None = None, episode: int | None = None, scope: str = "",
              line: int | None = None, column: int | None = None) -> None:
        if line is None:
            line, column = self.where(path)
        self.builder.claim(self.listing_id, field_name, value, source=self.source, line=line,
                           column=column, text=text if text is not None else text_of(value),
                           number=number, episode=episode, scope=scope)

    def count(self, field_name: str, raw: Any, path: Iterable[Any] = (), *, text: str | None = None,
              **kw: Any) -> None:
        """A numeric claim (counts, ratings, votes, years); unreadable values stay as text."""
        if raw is None or raw == "":
            return
        number = number_of(raw)
        value = text_of(raw).strip() if number is None else (
            str(int(number)) if number.is_integer() else str(number))
        self.claim(field_name, value, path, text=text if text is not None else text_of(raw),
                   number=number, **kw)

    def date(self, field_name: str, raw: Any, path: Iterable[Any] = (), **kw: Any) -> None:
        if raw is None or raw == "":
            return
        self.claim(field_name, iso_date(raw) or str(raw).strip(), path, text=str(raw), **kw)

    def prose(self, field_name: str, raw: Any, path: Iterable[Any] = (), title: str | None = None,
              *, html: bool = False, episode: int | None = None) -> str | None:
        """A free-text field and the facts its prose states (counts, status, premiere)."""
        if not isinstance(raw, str) or not raw.strip():
            return None
        text = strip_html(raw) if html else raw
        line, column = self.where(path)
        self.claim(field_name, text.strip(), text=text, episode=episode, line=line, column=column)
        if episode is not None:
            return text
        # Facts point into the value when its source text is the text itself on one line
        # (a JSON string opens with a quote; escapes and markup make offsets approximate).
        exact = not html and "\\" not in raw and "\n" not in raw
        shift = 1 if self.positions is not None else 0
        source = field_name if field_name in ("description", "summary") else self.source
        for fact in extract(text, title):
            fact_column = column + shift + fact.start if exact and column is not None else column
            self.builder.claim(self.listing_id, fact.field, fact.value, number=fact.number,
                               source=source, line=line, column=fact_column, text=fact.text,
                               scope=getattr(fact, "scope", ""))
        return text
