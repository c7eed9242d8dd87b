"""Canonical JSON and JSONL listings (schema: listing.schema.json, docs/formats.md).

A .json file holds one listing object or an array of them; JSONL holds one per line. Every
record is validated against the published JSON Schema: a missing or empty required field is
LA601, a value of the wrong type or shape LA602, each with the JSON pointer of the bad value
in the message and its line and column as evidence. A value that breaks the schema yields no
claim (its problem already says what is wrong). Records shaped like TVmaze or TMDB records
(in an array or a JSONL stream) are read by those adapters.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import tmdb, tvmaze
from .base import Builder, UnreadableInput, split_lines
from .records import KINDS, Emitter, Positions, load_json, looks_like_json, pointer

if TYPE_CHECKING:
    import jsonschema

FORMAT = "json"
BINARY = False
SCHEMA_FILE = "listing.schema.json"


def sniff(head: str, suffix: str) -> bool:
    return looks_like_json(head) or suffix in (".json", ".jsonl", ".ndjson")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema  # only runs that read JSON records pay for it (a tenth of a second)

    cls = jsonschema.validators.validator_for(schema())
    return cls(schema())


def _is_jsonl(text: str) -> bool:
    """One record per line: two or more lines open a JSON object at their very start, and at
    least one of them is a whole JSON value by itself. The first line may be broken (it then
    costs only itself); a pretty-printed document indents everything but its outer braces."""
    lines = [line for line in split_lines(text.lstrip("\ufeff")) if line.strip()][:50]
    if len(lines) < 2 or not lines[0].startswith("{"):
        return False
    openers = [line for line in lines if line.startswith("{")]
    if len(openers) < 2:
        return False
    for line in openers:
        try:
            json.loads(line, parse_int=lambda digits: 0)
            return True
        except (json.JSONDecodeError, RecursionError):
            continue
    return False


def read_json(builder: Builder, text: str) -> None:
    if _is_jsonl(text):
        _read_jsonl(builder, text)
        return
    data, positions = load_json(text)
    if isinstance(data, list):
        if not data:
            raise UnreadableInput("the JSON array is empty: no listing")
        for i, record in enumerate(data):
            _record(builder, record, positions, (i,))
    elif isinstance(data, dict):
        _record(builder, data, positions, ())
    else:
        raise UnreadableInput(f"the JSON document is a {type(data).__name__}, not a listing "
                              "object or an array of them", line=1, column=1)


def _read_jsonl(builder: Builder, text: str) -> None:
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        try:
            record, positions = load_json(line, line_offset=number - 1)
        except UnreadableInput as exc:
            # One broken line costs that line, not the rest of the stream.
            builder.problem("LA001", f"{builder.path}: line {number}: {exc.message}",
                            line=exc.line, column=exc.column, text=exc.text)
            continue
        _record(builder, record, positions, ())


def _record(builder: Builder, record: Any, positions: Positions, base: tuple) -> None:
    if tvmaze.is_record(record):
        tvmaze.read_record(builder, record, positions, base)
    elif tmdb.is_record(record):
        tmdb.read_record(builder, record, positions, base)
    else:
        read_canonical(builder, record, positions, base)


def _violations(builder: Builder, record: Any, positions: Positions, base: tuple,
                listing_id: str | None) -> set[tuple]:
    """Report schema violations; return the paths of values that broke it."""
    bad: set[tuple] = set()
    errors = sorted(_validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        path = tuple(error.absolute_path)
        if not path and (error.validator == "required" and "'title'" in error.message) \
                or path == ("title",) and error.validator == "minLength":
            continue  # the listings table's own LA601 check reports a listing without a title
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            rule, where = "LA601", (*path, missing) if missing else path
            message = f"{pointer(*base, *where)}: required field '{missing}' is missing"
            text = ""
        else:
            rule = "LA601" if error.validator == "minLength" and error.instance == "" else "LA602"
            where = path
            message = f"{pointer(*base, *where)}: {error.message}"
            text = json.dumps(error.instance, ensure_ascii=False)[:80]
        line, column = positions.at((*base, *path))
        builder.problem(rule, message, line=line, column=column, text=text,
                        listing_id=listing_id, field_name=str(where[-1]) if where else None,
                        value=None if error.validator == "required" else error.instance)
        bad.add(where)
    return bad


def read_canonical(builder: Builder, record: Any, positions: Positions, base: tuple = ()) -> str | None:
    if not isinstance(record, dict):
        line, column = positions.at(base)
        builder.problem("LA602", f"{pointer(*base) or '/'}: a listing must be a JSON object, "
                        f"not {type(record).__name__}", line=line, column=column,
                        text=json.dumps(record)[:80])
        return None
    title = record.get("title") if isinstance(record.get("title"), str) else None
    kind = record.get("kind") if record.get("kind") in ("movie", "series", "miniseries") else None
    year = record.get("year") if isinstance(record.get("year"), int) else None
    complete = record.get("complete_episode_list", True) is not False
    identifier = record.get("id")
    listing_id = builder.listing(
        title.strip() if title else "", line=positions.at(base)[0],
        key=builder.row_key(str(identifier))
        if isinstance(identifier, (str, int)) and str(identifier).strip() else None,
        kind=kind, year=year, complete_episode_list=complete)
    bad = _violations(builder, record, positions, base, listing_id)
    out = Emitter(builder, listing_id, positions, base=base)

    def ok(*path: Any) -> bool:
        return all(path[:n] not in bad for n in range(1, len(path) + 1))

    if title and ok("title"):
        out.claim("title", title.strip(), ("title",), text=title)
    if ok("kind") and isinstance(record.get("kind"), str):
        out.claim("kind", KINDS.get(record["kind"].casefold(), record["kind"]), ("kind",))
    for name in ("year", "episode_count", "season_count", "rating", "votes", "runtime"):
        if ok(name):
            out.count(name, record.get(name), (name,))
    for name in ("premiere_date", "end_date", "date_added"):
        if ok(name):
            out.date(name, record.get(name), (name,))
    for name in ("status", "content_rating", "duration", "director", "cast", "country",
                 "genres", "listed_in"):
        if ok(name) and record.get(name) is not None:
            out.claim(name, record[name], (name,))
    for name in ("description", "summary"):
        if ok(name):
            out.prose(name, record.get(name), (name,), title)

    seasons = record.get("seasons") if ok("seasons") and isinstance(record.get("seasons"), list) else []
    regular = [(i, s) for i, s in enumerate(seasons)
               if ok("seasons", i) and isinstance(s.get("number"), int) and s["number"] > 0]
    for i, season in regular:
        if ok("seasons", i, "episode_count"):
            out.count("season_episode_count", season.get("episode_count"),
                      ("seasons", i, "episode_count"), scope=f"season {season['number']}")
    if regular:
        i, first = min(regular, key=lambda pair: pair[1]["number"])
        if ok("seasons", i, "air_date"):
            out.date("premiere_date", first.get("air_date"), ("seasons", i, "air_date"))

    episodes = record.get("episodes") if ok("episodes") and isinstance(record.get("episodes"), list) else []
    for i, ep in enumerate(episodes):
        if not ok("episodes", i):
            continue
        where = ("episodes", i)

        def field(name: str) -> Any:
            return ep.get(name) if ok(*where, name) else None

        number, season = field("number"), field("season")
        index = builder.episode(
            listing_id, season=season, number=number, title=field("title"),
            air_date=field("air_date") if isinstance(field("air_date"), str) and len(field("air_date")) == 10 else None,
            synopsis=field("synopsis"), line=out.where(where)[0],
            heading=f"{number}. {field('title') or ''}".strip() if number is not None else (field("title") or ""),
            special=field("special") is True or season == 0)
        out.count("episode_number", number, (*where, "number"), episode=index)
        if isinstance(field("title"), str):
            out.claim("episode_title", field("title"), (*where, "title"), episode=index)
        out.date("air_date", field("air_date"), (*where, "air_date"), episode=index)
        out.prose("synopsis", field("synopsis"), (*where, "synopsis"), episode=index)
    return listing_id


def read(builder: Builder, text: str) -> None:
    read_json(builder, text)
