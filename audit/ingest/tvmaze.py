"""TVmaze show records (`/shows/:id?embed=episodes`), one or an array of them.

    name, type, status, premiered, ended, rating.average, genres, summary (HTML)
    _embedded.episodes[]: season, number, name, airdate, summary, type
    _embedded.seasons[]: number, episodeOrder (when embedded)

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
    episodes = embedded.get("episodes") if isinstance(embedded.get("episodes"), list) else None
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

    seasons = embedded.get("seasons") if isinstance(embedded.get("seasons"), list) else []
    for i, season in enumerate(seasons):
        if isinstance(season, dict) and season.get("number") and season.get("episodeOrder"):
            out.count("season_episode_count", season["episodeOrder"],
                      ("_embedded", "seasons", i, "episodeOrder"), scope=f"season {season['number']}")

    for i, ep in enumerate(episodes or []):
        if not isinstance(ep, dict):
            continue
        where = ("_embedded", "episodes", i)
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
        if isinstance(ep.get("name"), str):
            out.claim("episode_title", ep["name"], (*where, "name"), episode=index)
        out.date("air_date", ep.get("airdate"), (*where, "airdate"), episode=index)
        text = out.prose("synopsis", synopsis, (*where, "summary"), html=True, episode=index)
        if text:
            builder.out.episodes[-1]["synopsis"] = text.strip()
    return listing_id


def read(builder: Builder, text: str) -> None:
    from .json_records import read_json
    read_json(builder, text)
