"""TVmaze show records (`/shows/:id?embed=episodes`), one or an array of them.

    name, type, status, premiered, ended, rating.average, genres, summary (HTML)
    _embedded.episodes[]: season, number, name, airdate, summary, type
    _embedded.seasons[]: number, episodeOrder (when embedded)
    seasons[]: number, episodeOrder, episodes[] (the same data with each season's episodes
               inside it, as saved by scrapers that fetch /shows/:id/seasons then each season)

An episode whose type is not "regular" ("significant_special", "insignificant_special") or
whose number is null is a special: listed, but counted toward no total.
"""

from __future__ import annotations

import re
from typing import Any

from .base import Builder
from .records import STATUSES, Emitter, Positions, iso_date, looks_like_json

FORMAT = "tvmaze"
BINARY = False

_MARKERS = re.compile(r'"(?:_embedded|externals|officialSite|webChannel|premiered)"\s*:')
_TVMAZE = re.compile(r'tvmaze\.com|"(?:externals|webChannel|officialSite)"\s*:')


def sniff(head: str, suffix: str) -> bool:
    return looks_like_json(head) and bool(_TVMAZE.search(head)) and bool(_MARKERS.search(head))


def is_record(obj: Any) -> bool:
    return isinstance(obj, dict) and "name" in obj and (
        "premiered" in obj or "_embedded" in obj) and (
        "externals" in obj or "webChannel" in obj or "officialSite" in obj
        or "tvmaze.com" in str(obj.get("url", "")))


_TVMAZE_STATUS = {"running": "running", "ended": "ended", "in development": "upcoming"}


def read_record(builder: Builder, show: dict, positions: Positions | None, base: tuple = ()) -> str:
    title = show.get("name") if isinstance(show.get("name"), str) else None
    premiered = iso_date(show.get("premiered"))
    year = int(premiered[:4]) if premiered else None
    embedded = show.get("_embedded") if isinstance(show.get("_embedded"), dict) else {}
    seasons, episodes = _seasons_and_episodes(show, embedded)
    line = positions.at(base)[0] if positions else None
    key = f"tvmaze:{show['id']}" if show.get("id") is not None else None
    listing_id = builder.listing(title.strip() if title else "", line=line, key=key,
                                 kind="series", year=year,
                                 complete_episode_list=episodes is not None)
    out = Emitter(builder, listing_id, positions, base=base)
    if title is not None:
        out.claim("title", title.strip(), ("name",), text=title)
    if isinstance(show.get("type"), str):
        out.claim("kind", "series", ("type",), text=show["type"])
    status = show.get("status")
    if isinstance(status, str) and (_TVMAZE_STATUS.get(status.casefold())
                                    or STATUSES.get(status.casefold())):
        out.claim("status", _TVMAZE_STATUS.get(status.casefold()) or STATUSES[status.casefold()],
                  ("status",), text=status)
    out.date("premiere_date", show.get("premiered"), ("premiered",))
    out.date("end_date", show.get("ended"), ("ended",))
    rating = show.get("rating")
    if isinstance(rating, dict):
        out.count("rating", rating.get("average"), ("rating", "average"))
    genres = show.get("genres")
    if isinstance(genres, list) and genres:
        out.claim("genres", ", ".join(map(str, genres)), ("genres",))
    elif isinstance(genres, str) and genres:
        out.claim("genres", genres, ("genres",))
    out.prose("description", show.get("summary"), ("summary",), title, html=True)

    for where, season in seasons:
        if season.get("number") and season.get("episodeOrder"):
            out.count("season_episode_count", season["episodeOrder"], (*where, "episodeOrder"),
                      scope=f"season {season['number']}")

    regular_seasons: set[int] = set()
    for where, ep in episodes or []:
        ep_line = out.where(where)[0]
        number = ep.get("number") if isinstance(ep.get("number"), int) else None
        special = number is None or ep.get("type", "regular") != "regular"
        synopsis = ep.get("summary") if isinstance(ep.get("summary"), str) else None
        index = builder.episode(
            listing_id, season=ep.get("season") if isinstance(ep.get("season"), int) else None,
            number=number, title=ep.get("name"), air_date=iso_date(ep.get("airdate")),
            synopsis=None, line=ep_line, end_line=None,
            heading=f"S{ep.get('season')}E{number if number is not None else '-'} {ep.get('name') or ''}".strip(),
            special=special)
        if number is not None:
            out.count("episode_number", number, (*where, "number"), episode=index)
            if not special and isinstance(ep.get("season"), int):
                regular_seasons.add(ep["season"])
        if isinstance(ep.get("name"), str):
            out.claim("episode_title", ep["name"], (*where, "name"), episode=index)
        out.date("air_date", ep.get("airdate"), (*where, "airdate"), episode=index)
        text = out.prose("synopsis", synopsis, (*where, "summary"), html=True, episode=index)
        if text:
            builder.out.episodes[-1]["synopsis"] = text.strip()
    if episodes is not None:
        _empty_seasons(builder, listing_id, out, seasons, regular_seasons,
                       ended=isinstance(status, str) and status.casefold() == "ended")
    return listing_id


def _empty_seasons(builder: Builder, listing_id: str, out: Emitter, seasons: list,
                   listed: set[int], *, ended: bool) -> None:
    """A finished season that lists none of its ordered episodes states, by its empty list,
    that it has 0 (Gilmore Girls season 8: 4 ordered, none listed). A season of a running
    show with no end date may merely be announced, and states nothing."""
    for where, season in seasons:
        number = season.get("number")
        if not isinstance(number, int) or number <= 0 or number in listed \
                or not season.get("episodeOrder") or not (ended or season.get("endDate")):
            continue
        line, column = out.where(where)
        builder.claim(listing_id, "season_episode_count", 0, source="listed", line=line,
                      column=column, text=f"season {number}: no episode listed",
                      scope=f"season {number}")


def _seasons_and_episodes(show: dict, embedded: dict) -> tuple[list, list | None]:
    """(path, season) and (path, episode) pairs, from the embed layout or from seasons[]
    holding their episodes; episodes is None when the record lists none at all."""
    def listed(container: dict, *path: str) -> list | None:
        items = container.get(path[-1]) if isinstance(container.get(path[-1]), list) else None
        return None if items is None else [((*path, i), item) for i, item in enumerate(items)
                                           if isinstance(item, dict)]

    seasons = listed(embedded, "_embedded", "seasons")
    episodes = listed(embedded, "_embedded", "episodes")
    if seasons is None:
        seasons = listed(show, "seasons") or []
    if episodes is None:
        nested = [((*where, "episodes", j), ep) for where, season in seasons
                  if isinstance(season.get("episodes"), list)
                  for j, ep in enumerate(season["episodes"]) if isinstance(ep, dict)]
        if nested or any(isinstance(season.get("episodes"), list) for _, season in seasons):
            episodes = nested
    return seasons, episodes


def read(builder: Builder, text: str) -> None:
    from .json_records import read_json
    read_json(builder, text)
