"""What every input adapter produces, and the helpers they share to produce it.

An adapter turns one file's bytes into an `Ingested`: rows for the three tables plus
`problems` (defects the format itself reveals, such as a broken JSON document or a value that
violates the format's schema). Adapters know formats, never rules: a problem names the rule id
it is evidence for, and the engine decides whether that rule is selected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

PROBLEM_COLUMNS = ["rule", "listing_id", "path", "line", "column", "text", "field", "value", "message"]

_NEWLINE = re.compile(r"\r\n|\r|\n")


class UnreadableInput(Exception):
    """The file cannot be decoded or parsed at all; carries where, when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 text: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.text = text


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only, so line numbers match what an editor shows.

    str.splitlines() also breaks on form feeds, U+2028 and other separators that an editor
    does not count as new lines.
    """
    return _NEWLINE.split(text)


def normalise_title(title: str | None) -> str:
    """Case-, space- and punctuation-insensitive form of a title, used for listing keys."""
    if not title:
        return ""
    folded = re.sub(r"[^\w\s]", " ", title.replace("\u00a0", " ").casefold())
    return " ".join(folded.split())


# Every rule's work grows with the text it reads, some of it faster than linearly; no real
# title, description or synopsis comes near this, and a value beyond it is audited only up
# to it (LA002 says so), so a 10 MB text node costs what 20,000 characters cost.
MAX_VALUE_CHARS = 20_000

# The tables hold whole numbers in 64-bit columns and dates in nanosecond timestamps; a value
# outside those ranges is a defect of the listing (LA401), never a reason to fail the run.
INT_LIMIT = 2 ** 63
FIRST_DATE, LAST_DATE = dt.date(1678, 1, 1), dt.date(2261, 12, 31)
_ISO_DAY = re.compile(r"\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})\s*")


def as_float(value: Any) -> float:
    """float(value) that never raises for an int: one of a thousand digits is infinite."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def unfit_number(number: float | int | None) -> str | None:
    """Why a number cannot stand in the tables (NaN, infinite, beyond 64 bits), else None."""
    if number is None:
        return None
    if isinstance(number, float):
        if math.isnan(number):
            return "is not a number"
        if math.isinf(number):
            return "is out of range: expected a finite number"
    if abs(as_float(number)) >= INT_LIMIT:
        return f"is out of range: expected a number of at most {INT_LIMIT - 1}"
    return None


def _whole(value: Any) -> tuple[Any, str | None]:
    """An integer column's value, or (None, why) when no 64-bit column can hold it. Text is
    left to the schema, which reports what it cannot read as LA602."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        # true, a list or an object where a number belongs: no number, whatever pandas
        # would make of it (True as 1).
        return None, "is not a number"
    if isinstance(value, str):
        digits = value.strip().lstrip("+-")
        if not (digits.isdigit() and len(digits) > 18):
            return value, None
        value = as_float(int(digits[:400]) if len(digits) <= 400 else math.inf)
    why = unfit_number(value)
    if not why and isinstance(value, float) and not value.is_integer():
        why = "is out of range: expected a whole number"
    return (None, why) if why else (value, None)


def _day(value: str) -> bool:
    match = _ISO_DAY.fullmatch(value)
    if not match:
        return False
    try:
        dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return False
    return True


def _date_out_of_range(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    match = _ISO_DAY.match(value)
    if not match:
        return False
    year = int(match.group(1)) if len(match.group(1)) < 8 else 10 ** 8
    return not FIRST_DATE.year <= year <= LAST_DATE.year


def short_repr(raw: Any) -> str:
    """A value as a message quotes it: a number of a thousand digits is shown by its length."""
    if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) >= 10 ** 30:
        return f"a number of {len(str(abs(raw))) if abs(raw) < 10 ** 4000 else 'over 4000'} digits"
    text = str(raw)
    return text if len(text) <= 80 else text[:79] + "\u2026"


@dataclass
class Ingested:
    path: str
    format: str
    listings: list[dict[str, Any]] = field(default_factory=list)
    episodes: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    # Set when the file yielded nothing usable: the summary counts it as skipped.
    skipped_reason: str | None = None
    # Tables read column by column (episodes tables) add their rows as frames instead, with
    # the columns of EPISODE_COLUMNS and CLAIM_COLUMNS.
    episode_frames: list[Any] = field(default_factory=list)
    claim_frames: list[Any] = field(default_factory=list)
    # Rows of episode frames handed over to the tables (tables.build_tables, release_frames):
    # the report still counts them.
    episodes_handed_over: int = 0

    @property
    def episode_count(self) -> int:
        return len(self.episodes) + sum(len(f) for f in self.episode_frames) + self.episodes_handed_over


class Builder:
    """Collects the rows of one file. Adapters call it; it fills the bookkeeping columns."""

    def __init__(self, path: str, fmt: str, catalogue: str | None = None):
        self.out = Ingested(path=path, format=fmt)
        self._episode_counter: dict[str, int] = {}
        self._unfit_seen: set[tuple] = set()
        # A catalogue named by a mapping spans every file read with it; None: the file.
        self.catalogue = catalogue or None

    def row_key(self, ident: str, prefix: str = "") -> str:
        """The key of a listing a source names by a row id (`show_id` s1).

        A row id identifies a listing only within its catalogue: `s1` of one service's
        export is not `s1` of another's. The catalogue is the one a mapping names, else the
        file. A mapping's `id_prefix` already namespaces its ids, so it stands for the
        catalogue when none is named.
        """
        ident = ident.strip()
        if self.catalogue:
            return f"{self.catalogue}:{prefix}{ident}"
        return f"{prefix}{ident}" if prefix else f"{self.path}:{ident}"

    @property
    def path(self) -> str:
        return self.out.path

    def listing(self, title: str | None, *, line: int | None, key: str | None = None,
                kind: str | None = None, year: int | None = None,
                complete_episode_list: bool = True) -> str:
        """Add a listing and return its id (unique within the run).

        `complete_episode_list` is False where the source lists only some episodes (a TMDB
        record's last/next episode): such a list states no episode count of its own.
        """
        ordinal = len(self.out.listings) + 1
        listing_id = f"{self.path}#{ordinal}"
        # An unusable year is reported where the year is claimed; the table only loses it.
        year = _whole(year)[0]
        title = self._cap(title, listing_id, None, "title", line)
        if key is None:
            # Without an id or a title nothing identifies the listing beyond this file.
            key = (f"{normalise_title(title)}|{year if year is not None else ''}"
                   if normalise_title(title) else listing_id)
        self.out.listings.append({
            "listing_id": listing_id, "key": key, "catalogue": self.catalogue or "",
            "path": self.path, "line": line,
            "format": self.out.format, "title": title, "kind": kind, "year": year,
            "complete_episode_list": complete_episode_list,
        })
        self._episode_counter[listing_id] = 0
        return listing_id

    def update_listing(self, listing_id: str, **values: Any) -> None:
        for row in self.out.listings:
            if row["listing_id"] == listing_id:
                row.update(values)
                return
        raise KeyError(listing_id)

    def episode(self, listing_id: str, *, season: int | None, number: int | None,
                title: str | None, air_date: str | None, synopsis: str | None,
                line: int | None, end_line: int | None = None, heading: str = "",
                special: bool = False) -> int:
        index = self._episode_counter[listing_id]
        self._episode_counter[listing_id] = index + 1
        season = self.whole(listing_id, "season", season, line=line, episode=index)
        number = self.whole(listing_id, "episode_number", number, line=line, episode=index)
        title = self._cap(title, listing_id, index, "episode_title", line)
        synopsis = self._cap(synopsis, listing_id, index, "synopsis", line)
        heading = self._cap(heading, listing_id, index, "heading", line)
        if _date_out_of_range(air_date):
            self._unfit(listing_id, index, "air_date", air_date,
                        f"is out of range: expected a date from {FIRST_DATE} to {LAST_DATE}",
                        line=line)
            air_date = None
        elif air_date is not None and not (isinstance(air_date, str) and _day(air_date)):
            # A year alone ("2019", as feeds write unknown days) or text is no day to order
            # episodes by; the air_date claim keeps what the source said for the rules.
            air_date = None
        self.out.episodes.append({
            "listing_id": listing_id, "episode": index, "season": season, "number": number,
            "title": title, "air_date": air_date, "synopsis": synopsis, "special": special,
            "path": self.path, "line": line, "end_line": end_line if end_line is not None else line,
            "heading": heading,
        })
        return index

    def claim(self, listing_id: str | None, field_name: str, value: Any, *, source: str,
              line: int | None, column: int | None, text: str, number: float | None = None,
              episode: int | None = None, scope: str = "", end_line: int | None = None) -> None:
        if number is None and isinstance(value, (int, float)) and not isinstance(value, bool):
            number = as_float(value)
        why = unfit_number(number) or (
            f"is out of range: expected a date from {FIRST_DATE} to {LAST_DATE}"
            if field_name.endswith("date") and _date_out_of_range(value) else None)
        if why:
            # Reported once (LA401 or LA602), and no claim: rules compare usable values only.
            self._unfit(listing_id, episode, field_name, text or value, why, line=line,
                        column=column)
            return
        text = self._cap(text, listing_id, episode, field_name, line, column)
        if isinstance(value, str):
            value = self._cap(value, listing_id, episode, field_name, line, column)
        self.out.claims.append({
            "listing_id": listing_id, "episode": episode, "scope": scope, "field": field_name,
            "value": None if value is None else str(value), "number": number, "source": source,
            "path": self.path, "line": line, "column": column,
            "end_line": end_line if end_line is not None else line, "text": text,
        })

    def add_episode_frame(self, frame: Any) -> None:
        from .. import schemas  # pandera: imported by the readers of tables only

        self.out.episode_frames.append(schemas.compact(frame, schemas.EPISODES))

    def add_claim_frame(self, frame: Any) -> None:
        from .. import schemas

        self.out.claim_frames.append(schemas.compact(frame, schemas.CLAIMS))

    def problem(self, rule: str, message: str, *, line: int | None = None,
                column: int | None = None, text: str = "", listing_id: str | None = None,
                field_name: str | None = None, value: Any = None) -> None:
        self.out.problems.append({
            "rule": rule, "listing_id": listing_id, "path": self.path, "line": line,
            "column": column, "text": text, "field": field_name,
            "value": None if value is None else str(value), "message": message,
        })

    def _cap(self, text: Any, listing_id: str | None, episode: int | None, field_name: str,
             line: int | None, column: int | None = None) -> Any:
        """`text` cut to MAX_VALUE_CHARS, the cut reported once per value (LA002)."""
        if not isinstance(text, str) or len(text) <= MAX_VALUE_CHARS:
            return text
        key = (listing_id, episode, field_name.replace("episode_", ""), "cut")
        if key not in self._unfit_seen:
            self._unfit_seen.add(key)
            self.problem("LA002", f"{field_name.replace('_', ' ')} is {len(text):,} characters "
                         f"long; only its first {MAX_VALUE_CHARS:,} were audited",
                         line=line, column=column, text=text[:80], listing_id=listing_id,
                         field_name=field_name, value=len(text))
        return text[:MAX_VALUE_CHARS]

    def whole(self, listing_id: str, field_name: str, raw: Any, *, line: int | None,
              episode: int | None = None, text_is_no_number: bool = False) -> Any:
        """`raw` as an integer column can hold it, or None once why not is reported (LA401
        out of range, LA602 no number). Text is left to the table schema, unless
        `text_is_no_number` (the caller has read any number the text holds, and the value
        stands for many rows: reported once here, not once per row)."""
        value, why = _whole(raw)
        if text_is_no_number and isinstance(value, str) and not why:
            value, why = None, "is not a number"
        if why:
            self._unfit(listing_id, episode, field_name, raw, why, line=line)
        return value

    def _unfit(self, listing_id: str | None, episode: int | None, field_name: str, raw: Any,
               why: str, *, line: int | None, column: int | None = None) -> None:
        # One value standing for many rows (a season's number) is one finding; two different
        # values of one field are two causes, each its own finding.
        shown = short_repr(raw)
        key = (listing_id, episode, field_name, shown)
        if key in self._unfit_seen:
            return
        self._unfit_seen.add(key)
        self.problem("LA602" if why == "is not a number" else "LA401",
                     f"{field_name.replace('_', ' ')} \u201c{shown}\u201d {why}", line=line,
                     column=column, text=shown, listing_id=listing_id, field_name=field_name,
                     value=shown)

    def result(self) -> Ingested:
        return self.out

