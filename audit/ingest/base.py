"""What every input adapter produces, and the helpers they share to produce it.

An adapter turns one file's bytes into an `Ingested`: rows for the three tables plus
`problems` (defects the format itself reveals, such as a broken JSON document or a value that
violates the format's schema). Adapters know formats, never rules: a problem names the rule id
it is evidence for, and the engine decides whether that rule is selected.
"""

from __future__ import annotations

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

    @property
    def episode_count(self) -> int:
        return len(self.episodes) + sum(len(f) for f in self.episode_frames)


class Builder:
    """Collects the rows of one file. Adapters call it; it fills the bookkeeping columns."""

    def __init__(self, path: str, fmt: str):
        self.out = Ingested(path=path, format=fmt)
        self._episode_counter: dict[str, int] = {}

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
        if key is None:
            # Without an id or a title nothing identifies the listing beyond this file.
            key = (f"{normalise_title(title)}|{year if year is not None else ''}"
                   if normalise_title(title) else listing_id)
        self.out.listings.append({
            "listing_id": listing_id, "key": key, "path": self.path, "line": line,
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
            number = float(value)
        self.out.claims.append({
            "listing_id": listing_id, "episode": episode, "scope": scope, "field": field_name,
            "value": None if value is None else str(value), "number": number, "source": source,
            "path": self.path, "line": line, "column": column,
            "end_line": end_line if end_line is not None else line, "text": text,
        })

    def add_episode_frame(self, frame: Any) -> None:
        self.out.episode_frames.append(frame)

    def add_claim_frame(self, frame: Any) -> None:
        self.out.claim_frames.append(frame)

    def problem(self, rule: str, message: str, *, line: int | None = None,
                column: int | None = None, text: str = "", listing_id: str | None = None,
                field_name: str | None = None, value: Any = None) -> None:
        self.out.problems.append({
            "rule": rule, "listing_id": listing_id, "path": self.path, "line": line,
            "column": column, "text": text, "field": field_name,
            "value": None if value is None else str(value), "message": message,
        })

    def result(self) -> Ingested:
        return self.out

