"""TMDB "TV details" records (`/tv/:id`), one or an array of them (a catalogue).

    number_of_episodes, number_of_seasons       episode_count, season_count
    seasons[].episode_count                     season_episode_count per "season N";
                                                season_number 0 is Specials: no total counts it
    seasons[] (regular ones)                    also a season count and an episode total of
                                                their own, so the record's numbers are checked
                                                against its own season list
    status, in_production                       status ("Returning Series" running, "Ended" /
                                                "Canceled" ended, "Planned" / "In Production"
                                                upcoming; in_production true is running)
    first_air_date, seasons[lowest].air_date    premiere_date
    last_air_date                               last_air_date (the stale-running test)
    last/next_episode_to_air                    single episodes: the list is partial and
                                                states no episode count
"""

from __future__ import annotations

import re
from typing import Any

from .base import Builder
from .records import STATUSES, Emitter, Positions, iso_date, looks_like_json

FORMAT = "tmdb"
BINARY = False

_MARKERS = re.compile(
    r'"(?:number_of_seasons|number_of_episodes|first_air_date|in_production|last_episode_to_air)"\s*:')


def sniff(head: str, suffix: str) -> bool:
    return looks_like_json(head) and bool(_MARKERS.search(head))


def is_record(obj: Any) -> bool:
    return isinstance(obj, dict) and any(
        k in obj for k in ("number_of_seasons", "number_of_episodes", "first_air_date",
                           "in_production", "last_episode_to_air"))


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_record(builder: Builder, show: dict, positions: Positions | None, base: tuple = ()) -> str:
    title = show.get("name") if isinstance(show.get("name"), str) else None
    premiered = iso_date(show.get("first_air_date"))
    line = positions.at(base)[0] if positions else None
    key = f"tmdb:{show['id']}" if show.get("id") is not None else None
    listing_id = builder.listing(title.strip() if title else "", line=line, key=key,
                                 kind="series", year=int(premiered[:4]) if premiered else None,
                                 complete_episode_list=False)
    out = Emitter(builder, listing_id, positions, base=base)
    if title is not None:
        out.claim("title", title.strip(), ("name",), text=title)
    status = show.get("status")
    if isinstance(status, str) and STATUSES.get(status.casefold()):
        out.claim("status", STATUSES[status.casefold()], ("status",), text=status)
    if show.get("in_production") is True:
        out.claim("status", "running", ("in_production",), text="in_production: true")
    out.count("episode_count", show.get("number_of_episodes"), ("number_of_episodes",))
    out.count("season_count", show.get("number_of_seasons"), ("number_of_seasons",))
    out.date("premiere_date", show.get("first_air_date"), ("first_air_date",))
    out.date("last_air_date", show.get("last_air_date"), ("last_air_date",))
    out.count("rating", show.get("vote_average") if show.get("vote_count") else None,
              ("vote_average",))
    out.count("votes", show.get("vote_count"), ("vote_count",))
    if isinstance(show.get("genres"), list) and show["genres"]:
        out.claim("genres", show["genres"], ("genres",))
    if isinstance(show.get("origin_country"), list) and show["origin_country"]:
        out.claim("country", show["origin_country"], ("origin_country",))
    out.prose("description", show.get("overview"), ("overview",), title)

    seasons = show.get("seasons") if isinstance(show.get("seasons"), list) else []
    regular = [(i, s) for i, s in enumerate(seasons)
               if isinstance(s, dict) and (_int(s.get("season_number")) or 0) > 0]
    for i, season in regular:
        number = season["season_number"]
        if _int(season.get("episode_count")) == 0:
            continue  # an announced season: how many episodes it will have is not known yet
        out.count("season_episode_count", season.get("episode_count"),
                  ("seasons", i, "episode_count"), scope=f"season {number}")
    if regular:
        # The season list states how many seasons and episodes there are by itself.
        first_i = regular[0][0]
        numbers = [s["season_number"] for _, s in regular]
        out.count("season_count", len(regular), ("seasons", first_i),
                  text=f"seasons[] lists seasons {', '.join(map(str, numbers))}")
        counts = [_int(s.get("episode_count")) for _, s in regular]
        if all(c is not None for c in counts):
            out.count("episode_count", sum(counts), ("seasons", first_i),
                      text="seasons[].episode_count: " + " + ".join(map(str, counts)))
        earliest = min(regular, key=lambda pair: _int(pair[1]["season_number"]))
        out.date("premiere_date", earliest[1].get("air_date"), ("seasons", earliest[0], "air_date"))

    for name in ("last_episode_to_air", "next_episode_to_air"):
        ep = show.get(name)
        if not isinstance(ep, dict):
            continue
        where = (name,)
        season, number = _int(ep.get("season_number")), _int(ep.get("episode_number"))
        index = builder.episode(
            listing_id, season=season, number=number, title=ep.get("name"),
            air_date=iso_date(ep.get("air_date")), synopsis=ep.get("overview") or None,
            line=out.where(where)[0], heading=f"S{season}E{number} {ep.get('name') or ''}".strip(),
            special=season == 0)
        out.count("episode_number", number, (*where, "episode_number"), episode=index)
        if isinstance(ep.get("name"), str) and ep["name"]:
            out.claim("episode_title", ep["name"], (*where, "name"), episode=index)
        out.date("air_date", ep.get("air_date"), (*where, "air_date"), episode=index)
        out.prose("synopsis", ep.get("overview"), (*where, "overview"), episode=index)
    return listing_id


def read(builder: Builder, text: str) -> None:
    from .json_records import read_json
    read_json(builder, text)
