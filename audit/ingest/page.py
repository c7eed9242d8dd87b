"""Listing pages as plain text: the layout streaming guides publish and scrapers save.

    Title
    Watch Title
      • 2007                      header bullets: year, "N Season(s)", rating (votes)
      • 1 Season
      • 6.7  (351)
    Description paragraphs...   prose facts: counts, status, kind, premiere
    Title is a series that is currently running and has 1 seasons (4 episodes). ...
    Seasons / Season 2          episode list, blocks of heading / "N. Title" / date / synopsis
    Where to Watch Title        where-to-watch text
      • Premiere Date           footer box: label bullets with the value on the next line
        September 23, 2007

Sections may be missing or reordered; the parser keys on the shape of each line. The same
parser reads the visible text of HTML pages, which is why it takes lines, not a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .base import Builder, UnreadableInput, normalise_title, split_lines
from .dates import parse_date
from .prose import extract

_BULLET = re.compile(r"^(?P<indent>\s*)(?P<mark>[\u2022\u00b7\u25cf\u25aa*])\s+(?P<body>\S.*?)\s*$")
_SEASON_MARKER = re.compile(r"^\s*Season\s+(?P<n>\d{1,3})\b.*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<indent>\s*)(?P<n>\d{1,4})\.\s+(?P<title>\S.*?)\s*$")
_HEADING_LIKE = re.compile(r"^\s*(?:episode|ep\.?|chapter|part)\s*#?\d+\s*$", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^(?P<year>(?:18|19|20)\d{2})$")
_COUNT_BULLET = re.compile(r"^(?P<n>\d{1,4})\s+(?P<unit>seasons?|episodes?)$", re.IGNORECASE)
_RATING = re.compile(
    r"^(?P<rating>-?\d{1,3}(?:\.\d+)?)(?:\s*/\s*10)?(?:[\s\u00a0]*\((?P<votes>-?[\d.,]+\s*[KkMm]?)\))?$")
_LIST_LABELS = {"seasons", "episodes", "episode guide", "all episodes"}
_NOISE = {"filter by source", "sort by", "show more", "read more", "trailer", "cast", "reviews"}
_DESCRIPTION_TAB = "description"
_WATCH_HEADING = re.compile(r"^\s*where\s+to\s+watch\b", re.IGNORECASE)
_SUMMARY_SHAPE = re.compile(r"\bis\s+an?\s+\S+\s+that\s+.*\bhas\s+\S+\s+seasons?\b", re.IGNORECASE)

# Footer labels and the claim field their value states.
_FOOTER_FIELDS = {
    "premiere date": "premiere_date", "premiered": "premiere_date", "first aired": "premiere_date",
    "release date": "premiere_date", "imdb rating": "rating", "rating": "rating",
    "seasons": "season_count", "episodes": "episode_count", "status": "status",
    "year": "year", "release year": "year",
}
_NO_RATING = {"n/a", "na", "not yet rated", "not rated", "no rating", "no rating yet", "unrated",
              "tbd", "-", "\u2013", "\u2014"}
_STATUS_WORDS = {"running": "running", "returning series": "running", "ongoing": "running",
                 "ended": "ended", "canceled": "ended", "cancelled": "ended", "finished": "ended"}


@dataclass
class _Episode:
    number: int
    title: str
    line: int
    title_column: int
    season: int | None
    heading: str
    heading_line: int | None = None
    date_iso: str | None = None
    date_line: int | None = None
    date_text: str = ""
    date_column: int = 1
    synopsis: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        return self.heading_line or self.line

    @property
    def last_line(self) -> int:
        if self.synopsis:
            return self.synopsis[-1][0]
        return self.date_line or self.line


def parse_votes(text: str) -> float | None:
    cleaned = text.replace(",", "").strip()
    scale = 1.0
    if cleaned[-1:].lower() in ("k", "m"):
        scale = 1_000.0 if cleaned[-1].lower() == "k" else 1_000_000.0
        cleaned = cleaned[:-1].strip()
    try:
        # Round away binary noise: 4.1 * 1e6 is 4099999.9999999995, not a fractional count.
        return round(float(cleaned) * scale, 6)
    except ValueError:
        return None


def _column(line: str, part: str, start: int = 0) -> int:
    index = line.find(part, start)
    return (index if index >= 0 else 0) + 1


class PageParser:
    """Parses the lines of one listing page into a Builder."""

    def __init__(self, builder: Builder, lines: list[str], *, line_offset: int = 0,
                 line_map: list[int] | None = None):
        self.b = builder
        self.lines = lines
        # HTML pages map each visible-text line back to its line in the markup.
        self.line_map = line_map
        self.line_offset = line_offset
        self.listing_id: str | None = None
        self.title: str | None = None
        # Set by any line only a listing page has (header bullets, an episode list, a footer
        # box, "Watch <title>", where-to-watch): a title over plain prose is no listing.
        self.structured = False
        # The next line with content at or after each index (None past the last): the parser
        # asks for it several times per line, and scanning forward each time was most of
        # its own time.
        following: list[int | None] = [None] * (len(lines) + 1)
        for j in range(len(lines) - 1, -1, -1):
            following[j] = j if lines[j].strip() else following[j + 1]
        self._following = following

    def lineno(self, index: int) -> int:
        if self.line_map is not None:
            return self.line_map[index]
        return index + 1 + self.line_offset

    def _next_content(self, index: int) -> int | None:
        return self._following[index + 1]

    def parse(self) -> str | None:
        first = self._next_content(-1)
        if first is None:
            return None
        raw_title = self.lines[first]
        self.title = raw_title.strip()
        self.listing_id = self.b.listing(self.title, line=self.lineno(first))
        self.b.claim(self.listing_id, "title", self.title, source="title",
                     line=self.lineno(first), column=_column(raw_title, self.title), text=self.title)
        state = "header"
        season: int | None = None
        episodes: list[_Episode] = []
        current: _Episode | None = None
        pending_footer: tuple[str, int] | None = None
        index = first
        while True:
            index = self._next_content(index)
            if index is None:
                break
            raw = self.lines[index]
            stripped = raw.strip()
            folded = stripped.casefold()
            lineno = self.lineno(index)
            bullet = _BULLET.match(raw)
            numbered = _NUMBERED.match(raw)

            if pending_footer is not None and not bullet:
                self._footer_value(pending_footer[0], raw, lineno)
                pending_footer = None
                continue
            if folded == self.title.casefold() or folded == f"watch {self.title.casefold()}" \
                    or folded in _NOISE:
                self.structured = self.structured or folded != self.title.casefold()
                continue
            self.structured = self.structured or bool(
                bullet or numbered or folded in _LIST_LABELS or _SEASON_MARKER.match(raw)
                or _WATCH_HEADING.match(raw))
            if bullet:
                body = bullet.group("body")
                if state == "header":
                    self._header_bullet(raw, body, lineno)
                else:
                    state = "footer"
                    current = None
                    label, _, inline = body.partition(":")
                    if inline.strip():
                        self._footer_field(label, inline, raw, lineno)
                    else:
                        pending_footer = (label, lineno)
                continue
            if folded in _LIST_LABELS:
                state, current = "episodes", None
                continue
            season_marker = _SEASON_MARKER.match(raw)
            if season_marker and len(stripped) < 40 and state in ("episodes", "header", "description"):
                state, current = "episodes", None
                season = int(season_marker.group("n"))
                continue
            if folded == _DESCRIPTION_TAB:
                state, current = "after-episodes", None
                continue
            if _WATCH_HEADING.match(raw):
                state, current = "watch", None
                continue
            following = self._next_content(index)
            next_numbered = _NUMBERED.match(self.lines[following]) if following is not None else None
            if numbered and (state == "episodes" or self._date_follows(index)):
                state = "episodes"
                title = numbered.group("title")
                current = _Episode(
                    number=int(numbered.group("n")), title=title, line=lineno,
                    title_column=numbered.start("title") + 1, season=season, heading="")
                heading_index = self._previous_content(index)
                if heading_index is not None and self._is_heading(self.lines[heading_index], title):
                    current.heading = self.lines[heading_index].strip()
                    current.heading_line = self.lineno(heading_index)
                episodes.append(current)
                continue
            if next_numbered and self._is_heading(raw, next_numbered.group("title")) \
                    and (state == "episodes" or self._date_follows(following)):
                continue  # the heading of the next episode block; read with its block
            if state == "episodes" and current is not None:
                iso = parse_date(stripped)
                if iso and current.date_line is None and not current.synopsis:
                    current.date_iso, current.date_line, current.date_text = iso, lineno, stripped
                    current.date_column = _column(raw, stripped)
                else:
                    current.synopsis.append((lineno, _column(raw, stripped), stripped))
                continue
            if state == "watch":
                self.b.claim(self.listing_id, "where_to_watch", stripped, source="where-to-watch",
                             line=lineno, column=_column(raw, stripped), text=stripped)
                continue
            if state in ("header", "description"):
                state = "description"
                self._prose(raw, lineno)
                continue
            # Prose after the episode list (a review, a note) still states facts.
            self._prose(raw, lineno)

        self._emit_episodes(episodes)
        return self.listing_id

    # --- pieces ------------------------------------------------------------------------
    def _previous_content(self, index: int) -> int | None:
        for j in range(index - 1, -1, -1):
            if self.lines[j].strip():
                return j
        return None

    def _date_follows(self, index: int) -> bool:
        following = self._next_content(index)
        return following is not None and parse_date(self.lines[following]) is not None

    @staticmethod
    def _is_heading(line: str, title: str) -> bool:
        text = line.strip()
        return bool(text) and (text == title.strip() or bool(_HEADING_LIKE.match(text)))

    def _header_bullet(self, raw: str, body: str, lineno: int) -> None:
        column = _column(raw, body)
        year = _YEAR_ONLY.match(body)
        if year:
            self.b.claim(self.listing_id, "year", int(year.group("year")), source="header",
                         line=lineno, column=column, text=body)
            self.b.update_listing(self.listing_id, year=int(year.group("year")),
                                  key=f"{normalise_title(self.title)}|{year.group('year')}")
            return
        count = _COUNT_BULLET.match(body)
        if count:
            field_name = "season_count" if count.group("unit").lower().startswith("season") \
                else "episode_count"
            self.b.claim(self.listing_id, field_name, int(count.group("n")), source="header",
                         line=lineno, column=column, text=body)
            return
        if self._rating(body, raw, lineno, "header"):
            return
        self.b.claim(self.listing_id, "header", body, source="header", line=lineno,
                     column=column, text=body)

    def _rating(self, body: str, raw: str, lineno: int, source: str) -> bool:
        match = _RATING.match(body.strip())
        if not match:
            return False
        column = _column(raw, body.strip())
        rating = match.group("rating")
        self.b.claim(self.listing_id, "rating", rating, number=float(rating), source=source,
                     line=lineno, column=column + match.start("rating"), text=rating)
        if match.group("votes"):
            votes_text = match.group("votes")
            self.b.claim(self.listing_id, "votes", votes_text.strip(),
                         number=parse_votes(votes_text), source=source, line=lineno,
                         column=column + match.start("votes"), text=votes_text)
        return True

    def _footer_value(self, label: str, raw: str, lineno: int) -> None:
        self._footer_field(label, raw.strip(), raw, lineno)

    def _footer_field(self, label: str, value: str, raw: str, lineno: int) -> None:
        field_name = _FOOTER_FIELDS.get(label.strip().casefold())
        value = value.strip()
        column = _column(raw, value)
        if field_name == "rating":
            if value.casefold() in _NO_RATING:
                return  # a show nobody has rated yet states no rating, not a wrong one
            if not self._rating(value, raw, lineno, "footer"):
                self.b.claim(self.listing_id, "rating", value, source="footer", line=lineno,
                             column=column, text=value)
            return
        if field_name == "premiere_date":
            iso = parse_date(value)
            year = _YEAR_ONLY.match(value)
            self.b.claim(self.listing_id, "premiere_date", iso or (year.group("year") if year else value),
                         source="footer", line=lineno, column=column, text=value)
            return
        if field_name in ("season_count", "episode_count", "year"):
            number = re.match(r"^(\d{1,4})\b", value)
            self.b.claim(self.listing_id, field_name, int(number.group(1)) if number else value,
                         source="footer", line=lineno, column=column, text=value)
            return
        if field_name == "status":
            status = _STATUS_WORDS.get(value.casefold())
            if status:
                self.b.claim(self.listing_id, "status", status, source="footer", line=lineno,
                             column=column, text=value)
            return
        self.b.claim(self.listing_id, "footer", value, source="footer", line=lineno,
                     column=column, text=value)

    def _prose(self, raw: str, lineno: int) -> None:
        text = raw.strip()
        offset = _column(raw, text) - 1
        source = "summary" if _SUMMARY_SHAPE.search(text) else "description"
        self.b.claim(self.listing_id, source, text, source=source, line=lineno,
                     column=offset + 1, text=text)
        for fact in extract(text, self.title):
            self.b.claim(self.listing_id, fact.field, fact.value, number=fact.number, source=source,
                         line=lineno, column=offset + fact.start + 1, text=fact.text,
                         scope=fact.scope)

    def _emit_episodes(self, episodes: list[_Episode]) -> None:
        for ep in episodes:
            synopsis = " ".join(text for _, _, text in ep.synopsis) or None
            index = self.b.episode(
                self.listing_id, season=ep.season, number=ep.number, title=ep.title,
                air_date=ep.date_iso, synopsis=synopsis, line=ep.first_line,
                end_line=ep.last_line, heading=ep.heading or f"{ep.number}. {ep.title}")
            self.b.claim(self.listing_id, "episode_number", ep.number, source="episode",
                         line=ep.line, column=ep.title_column - len(str(ep.number)) - 2,
                         text=str(ep.number), episode=index)
            self.b.claim(self.listing_id, "episode_title", ep.title, source="episode",
                         line=ep.line, column=ep.title_column, text=ep.title, episode=index)
            if ep.date_line is not None:
                self.b.claim(self.listing_id, "air_date", ep.date_iso, source="episode",
                             line=ep.date_line, column=ep.date_column, text=ep.date_text,
                             episode=index)
            if ep.synopsis:
                line, column, _ = ep.synopsis[0]
                self.b.claim(self.listing_id, "synopsis", synopsis, source="episode", line=line,
                             column=column, text=synopsis, episode=index,
                             end_line=ep.synopsis[-1][0])


def read_page(builder: Builder, text: str) -> None:
    parser = PageParser(builder, split_lines(text))
    parser.parse()
    stated = [c for c in builder.out.claims if c["field"] not in ("title", "description")]
    if not parser.structured and not stated:
        raise UnreadableInput(
            "no listing found: the text has no listing structure (header bullets, an episode "
            "list, a summary sentence, a footer box) and states no listing fact")


# --- adapter interface (see audit/ingest/__init__.py) -------------------------------------
FORMAT = "page"
BINARY = False


def sniff(head: str, suffix: str) -> bool:
    """The fallback for any text: a page needs no marker beyond a first line."""
    return True


def read(builder: Builder, text: str) -> None:
    read_page(builder, text)
