"""HTML listing pages: schema.org JSON-LD and the visible text, read into one listing.

The markup is parsed with the standard library's HTML parser (the tokenizer browsers'
rules are modelled on; positions of every text run are exact). Two readings of the page
land on the same listing, so the consistency rules compare them:

- the visible text, rendered one block element per line (list items and <dt> as bullets,
  <dd> as the value under them), goes through the same PageParser as .txt pages, with
  each rendered line mapped back to its line in the HTML file and indented to its column;
- JSON-LD (<script type="application/ld+json">): TVSeries, TVSeason, TVEpisode, Movie,
  AggregateRating, also inside @graph. An aggregateRating without bestRating is on a 1-5
  scale and is converted to 0-10 (the claim's text says so).

A page with neither a JSON-LD listing nor any listing fact in its text has no listing.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from typing import Any

from .base import Builder, UnreadableInput, normalise_title, unfit_number
from .page import PageParser
from .records import Emitter, iso_date, load_json, number_of, strip_html

FORMAT = "html"
BINARY = False

_MARKERS = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|application/ld\+json",
                      re.IGNORECASE)
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "h1",
           "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "tr", "td", "th", "blockquote",
           "pre", "figure", "figcaption", "form", "li", "dt", "dd", "address", "hr", "caption"}
_SKIP = {"script", "style", "noscript", "template", "head", "title", "svg", "iframe"}
_LISTING_TYPES = {"TVSeries": "series", "Movie": "movie", "TVMiniSeries": "miniseries",
                  "CreativeWorkSeries": "series"}
_FACT_FIELDS = {"year", "season_count", "episode_count", "rating", "votes", "premiere_date",
                "status", "kind", "where_to_watch", "header", "footer"}


_LINKED_DATA = re.compile(r"application/ld\+json", re.IGNORECASE)


def sniff(head: str, suffix: str) -> bool:
    start = head[:8192]
    # Every marker but the JSON-LD type opens with "<", and that one holds "+": most text
    # (every listing page) has neither, and is not searched (a tenth of reading a page).
    if "<" in start:
        marked = bool(_MARKERS.search(start))
    else:
        marked = "+" in start and bool(_LINKED_DATA.search(start))
    return marked or (suffix in (".html", ".htm") and head.lstrip()[:1] == "<")


class _Reader(HTMLParser):
    """Visible text as lines [(line, column, text)] and the JSON-LD scripts with positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[Any]] = []   # [line, column, prefix, text]
        self.open_line = False
        self.skip_depth = 0
        self.prefix = ""
        self.jsonld: list[tuple[int, int, str]] = []
        self._in_jsonld = False

    def _break(self, prefix: str = "") -> None:
        self.open_line = False
        self.prefix = prefix

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(k == "type" and (v or "").strip().lower() == "application/ld+json"
                                   for k, v in attrs):
            self._in_jsonld = True
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag == "br":
            self._break()
        elif tag in ("li", "dt"):
            self._break("\u2022 ")
        elif tag == "dd":
            self._break("  ")
        elif tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            if tag == "script":
                self._in_jsonld = False
            return
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        line, offset = self.getpos()
        if self._in_jsonld:
            self.jsonld.append((line, offset, data))
            return
        if self.skip_depth or not data.strip():
            if data and self.open_line and not self.skip_depth:
                self.lines[-1][3] += " "
            return
        lead = len(data) - len(data.lstrip())
        before = data[:lead]
        newlines = before.count("\n")
        if newlines:
            line += newlines
            offset = lead - before.rfind("\n") - 1
        else:
            offset += lead
        text = " ".join(data.split())
        if data[-1:].isspace():
            text += " "
        if self.open_line:
            if data[:1].isspace() and not self.lines[-1][3].endswith(" "):
                self.lines[-1][3] += " "
            self.lines[-1][3] += text
        else:
            self.lines.append([line, offset + 1, self.prefix, text])
            self.open_line = True
            self.prefix = ""


def _rendered(reader: _Reader) -> tuple[list[str], list[int]]:
    """Visible lines, each indented so that its text starts at its column in the HTML."""
    lines, line_map = [], []
    for line, column, prefix, text in reader.lines:
        text = text.strip()
        if not text:
            continue
        # The first line is the title, whose claim keeps its raw text: no padding there.
        pad = max(column - 1 - len(prefix), 0) if lines else 0
        lines.append(" " * pad + prefix + text if prefix or pad else text)
        line_map.append(line)
    return lines, line_map


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    # A list may hold anything (objects, numbers): only its strings name types.
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return {kind} if isinstance(kind, str) else set()


def _nodes(data: Any, path: tuple = ()):
    """Every JSON-LD object with its path (top level, arrays, @graph)."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _nodes(item, (*path, i))
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _nodes(data["@graph"], (*path, "@graph"))
        if "@type" in data:
            yield data, path


_ISO_DURATION = re.compile(r"^P(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)$")


def _minutes(value: Any) -> int | None:
    match = _ISO_DURATION.match(str(value or "").strip())
    if not match or not any(match.groups()):
        return None
    return int(match.group("h") or 0) * 60 + int(match.group("m") or 0)


def _rating(out: Emitter, node: dict, path: tuple) -> None:
    rating = node.get("aggregateRating")
    if not isinstance(rating, dict):
        return
    where = (*path, "aggregateRating")
    value = number_of(rating.get("ratingValue"))
    if value is not None:
        best = number_of(rating.get("bestRating"))
        worst = number_of(rating.get("worstRating"))
        raw = str(rating.get("ratingValue"))
        if best is not None and not (0 < best < math.inf):
            line, column = out.where((*where, "bestRating"))
            shown = str(rating.get("bestRating"))[:80]
            out.builder.problem("LA401", f"bestRating \u201c{shown}\u201d is out of range: expected "
                                "a positive number (the top of the rating scale)", line=line,
                                column=column, text=shown, listing_id=out.listing_id,
                                field_name="rating", value=shown)
        elif best is None or best == 5:
            text = f"{raw} (a 1-5 rating{'' if best else ' with no bestRating'}: {value * 2:g} of 10)"
            out.claim("rating", f"{value * 2:g}", (*where, "ratingValue"), text=text, number=value * 2)
        elif best == 10 and (worst in (None, 0, 1)):
            out.count("rating", rating.get("ratingValue"), (*where, "ratingValue"))
        else:
            scaled = value * 10 / best
            out.claim("rating", f"{scaled:g}", (*where, "ratingValue"),
                      text=f"{raw} (of {best:g}: {scaled:g} of 10)", number=scaled)
    for name in ("ratingCount", "reviewCount"):
        if rating.get(name) is not None:
            out.count("votes", rating.get(name), (*where, name))
            break


def _whole(builder: Builder, out: Emitter, field_name: str, raw: Any, line: int | None) -> int | None:
    """A season's number, which stands for all its episodes: NaN, infinite, fractional or
    beyond 64 bits, true, a list, an object or text that is no number ("2019-01-01") is
    reported once, here, and stands as no number."""
    if isinstance(raw, str) and not raw.strip():
        return None
    number = number_of(raw)
    value = builder.whole(out.listing_id, field_name, raw if number is None else number,
                          line=line, text_is_no_number=True)
    return int(value) if value is not None else None


def _fits(number: float | None) -> bool:
    """A whole number an integer column can hold (unfit_number says why others cannot)."""
    return number is not None and unfit_number(number) is None and float(number).is_integer()


def _listed_number(raw: Any, number: float | None) -> Any:
    """An episode's number for the episodes table: a number no column holds is reported by its
    episode_number claim, so it stands as no number here; text that is no number is left to
    the table schema (LA602), and true, a list or an object to the builder (LA602)."""
    if number is None:
        blank = raw is None or (isinstance(raw, (int, float)) and not isinstance(raw, bool)) or (isinstance(raw, str) and not raw.strip())
        return None if blank else raw
    return int(number) if _fits(number) else None


def _episode(builder: Builder, out: Emitter, node: dict, path: tuple, season: int | None,
             add_episodes: bool) -> None:
    line = out.where(path)[0]
    raw_number = node.get("episodeNumber")
    number = number_of(raw_number)
    part_of = node.get("partOfSeason")
    if season is None and isinstance(part_of, dict):
        season = _whole(builder, out, "season", part_of.get("seasonNumber"), line)
    if not add_episodes:
        return
    title = node.get("name") if isinstance(node.get("name"), str) else None
    date = node.get("datePublished") or node.get("startDate")
    # A number no column holds is reported once, by its episode_number claim below.
    index = builder.episode(
        out.listing_id, season=season, number=_listed_number(raw_number, number),
        title=title, air_date=iso_date(date) if iso_date(date) and len(iso_date(date)) == 10 else None,
        synopsis=strip_html(node.get("description")) if isinstance(node.get("description"), str) else None,
        line=line, heading=f"{int(number) if _fits(number) else ''}. {title or ''}".strip(". "))
    out.count("episode_number", node.get("episodeNumber"), (*path, "episodeNumber"), episode=index)
    if title:
        out.claim("episode_title", title, (*path, "name"), episode=index)
    if date:
        key = "datePublished" if node.get("datePublished") else "startDate"
        out.date("air_date", date, (*path, key), episode=index)
    out.prose("synopsis", node.get("description"), (*path, "description"), html=True, episode=index)


def _listing_node(builder: Builder, out: Emitter, node: dict, path: tuple, title: str | None,
                  add_episodes: bool) -> None:
    kinds = _types(node)
    kind = next((_LISTING_TYPES[k] for k in kinds if k in _LISTING_TYPES), None)
    if isinstance(node.get("name"), str):
        out.claim("title", node["name"].strip(), (*path, "name"), text=node["name"])
    if kind:
        out.claim("kind", kind, (*path, "@type"), text=", ".join(sorted(kinds)))
    out.count("episode_count", node.get("numberOfEpisodes"), (*path, "numberOfEpisodes"))
    out.count("season_count", node.get("numberOfSeasons"), (*path, "numberOfSeasons"))
    for key in ("startDate", "datePublished", "dateCreated"):
        if node.get(key):
            out.date("premiere_date", node[key], (*path, key))
            break
    out.date("end_date", node.get("endDate"), (*path, "endDate"))
    if kind == "movie":
        minutes = _minutes(node.get("duration"))
        if minutes:
            out.claim("runtime", str(minutes), (*path, "duration"), text=str(node["duration"]),
                      number=float(minutes))
    if isinstance(node.get("contentRating"), str):
        out.claim("content_rating", node["contentRating"].strip(), (*path, "contentRating"),
                  text=node["contentRating"])
    genre = node.get("genre")
    if isinstance(genre, (str, list)) and genre:
        out.claim("genres", genre, (*path, "genre"))
    _rating(out, node, path)
    out.prose("description", strip_html(node.get("description")) if isinstance(node.get("description"), str) else None,
              (*path, "description"), title)
    seasons = node.get("containsSeason")
    seasons = seasons if isinstance(seasons, list) else [seasons] if isinstance(seasons, dict) else []
    for i, season_node in enumerate(seasons):
        if not isinstance(season_node, dict):
            continue
        spath = (*path, "containsSeason", i) if isinstance(node.get("containsSeason"), list) \
            else (*path, "containsSeason")
        season = _whole(builder, out, "season", season_node.get("seasonNumber"),
                        out.where((*spath, "seasonNumber"))[0])
        if season:
            out.count("season_episode_count", season_node.get("numberOfEpisodes"),
                      (*spath, "numberOfEpisodes"), scope=f"season {season}")
        episodes = season_node.get("episode") or season_node.get("episodes")
        for j, ep in enumerate(episodes if isinstance(episodes, list) else []):
            if isinstance(ep, dict):
                _episode(builder, out, ep, (*spath, "episode", j), season, add_episodes)
    episodes = node.get("episode") or node.get("episodes")
    for j, ep in enumerate(episodes if isinstance(episodes, list) else []):
        if isinstance(ep, dict):
            _episode(builder, out, ep, (*path, "episode", j), None, add_episodes)


def read(builder: Builder, text: str) -> None:
    reader = _Reader()
    try:
        reader.feed(text)
        reader.close()
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; this is a last resort
        raise UnreadableInput(f"the HTML could not be parsed: {exc}") from None
    lines, line_map = _rendered(reader)

    documents = []
    for line, offset, data in reader.jsonld:
        if not data.strip():
            continue
        try:
            documents.append(load_json(data, line_offset=line - 1, column_offset=offset))
        except UnreadableInput as exc:
            builder.problem("LA602", f"a JSON-LD block is not valid JSON: {exc.message}",
                            line=exc.line, column=exc.column, text=exc.text, field_name="jsonld")
    listing_nodes = [(node, path, positions) for data, positions in documents
                     for node, path in _nodes(data) if _types(node) & set(_LISTING_TYPES)]
    episode_nodes = [(node, path, positions) for data, positions in documents
                     for node, path in _nodes(data) if "TVEpisode" in _types(node)]

    listing_id = PageParser(builder, lines, line_map=line_map).parse() if lines else None
    text_facts = listing_id is not None and (
        any(c["field"] in _FACT_FIELDS for c in builder.out.claims) or builder.out.episodes)
    if not listing_nodes and not text_facts:
        builder.out.listings.clear()
        builder.out.episodes.clear()
        builder.out.claims.clear()
        raise UnreadableInput("no listing in this HTML page: no schema.org JSON-LD listing "
                              "(TVSeries, Movie) and no listing facts in its text")
    if listing_id is None:
        node, path, positions = listing_nodes[0]
        name = node.get("name") if isinstance(node.get("name"), str) else None
        kind = next((_LISTING_TYPES[k] for k in _types(node) if k in _LISTING_TYPES), None)
        listing_id = builder.listing(name.strip() if name else "", line=positions.at(path)[0],
                                     kind=kind)
    listing = builder.out.listings[0]
    title = listing["title"]
    add_episodes = not builder.out.episodes  # the text's own episode list wins
    for node, path, positions in listing_nodes[:1]:
        out = Emitter(builder, listing_id, positions, source="jsonld")
        kind = next((_LISTING_TYPES[k] for k in _types(node) if k in _LISTING_TYPES), None)
        if kind and not listing.get("kind"):
            listing["kind"] = kind
        _listing_node(builder, out, node, path, title, add_episodes)
    for node, path, positions in episode_nodes if not listing_nodes else []:
        out = Emitter(builder, listing_id, positions, source="jsonld")
        _episode(builder, out, node, path, None, add_episodes)
    year = next((c["value"][:4] for c in builder.out.claims
                 if c["field"] in ("year", "premiere_date") and c["value"][:4].isdigit()), None)
    if year and listing.get("year") is None:
        builder.update_listing(listing_id, year=int(year), key=f"{normalise_title(title)}|{year}")
