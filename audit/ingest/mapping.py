"""`--mapping FILE`: which column of a CSV (or Parquet) table holds which field.

    # mapping.yaml (or the same keys in mapping.toml)
    catalogue: acme            # optional: every file read with this mapping is one catalogue
    listings:                  # tables with one row per title
      id: Code                 # the column holding the listing's id (LA203 matches ids)
      id_prefix: "acme:"       # optional: makes ids unique across sources
      columns: {title: Name, kind: Format, year: Year, content_rating: Certificate}
      kinds: {Film: movie, Serie: series}     # optional: source value -> movie|series|miniseries
    episodes:                  # tables with one row per episode
      id: Show Code            # the listing each episode belongs to (same ids as above)
      id_prefix: "acme:"
      columns: {season: Season, episode_number: Ep, episode_title: Title, air_date: Aired}

A table is read as episodes when its header has the episodes section's id column and at
least one of its episode columns; otherwise as listings when it has the listings title
column. Field names are those of docs/formats.md.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from ..safe_load import LoadError, parse, read_text

LISTING_FIELDS = (
    "title", "kind", "year", "status", "episode_count", "season_count", "premiere_date",
    "end_date", "rating", "votes", "description", "summary", "content_rating", "duration",
    "runtime", "date_added", "director", "cast", "country", "listed_in", "genres",
)
EPISODE_FIELDS = ("title", "season", "episode_number", "episode_title", "air_date", "synopsis",
                  "special")
_SECTIONS = {"listings": LISTING_FIELDS, "episodes": EPISODE_FIELDS}
_SECTION_KEYS = {"id", "id_prefix", "columns", "kinds", "delimiter"}


class MappingError(ValueError):
    """The mapping file cannot be used; the message says why, in one line."""


def load_mapping(path: Path) -> dict[str, Any]:
    syntax = "toml" if path.suffix.lower() == ".toml" else "yaml"
    try:
        data = parse(read_text(path, "mapping"), syntax, path, "mapping")
    except LoadError as exc:
        raise MappingError(str(exc)) from None
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise MappingError(f"mapping {path} is not valid {syntax.upper()}: "
                           f"{(str(exc).splitlines() or [''])[0]}") from None
    return validate_mapping(data, str(path))


def validate_mapping(data: Any, name: str = "mapping") -> dict[str, Any]:
    if not isinstance(data, dict) or not data:
        raise MappingError(f"{name}: expected a mapping with 'listings' and/or 'episodes'")
    unknown = set(data) - set(_SECTIONS) - {"catalogue"}
    if unknown:
        raise MappingError(f"{name}: unknown section {', '.join(sorted(map(repr, unknown)))} "
                           "(expected 'catalogue', 'listings' and/or 'episodes')")
    out: dict[str, Any] = {}
    if "catalogue" in data:
        catalogue = data["catalogue"]
        if not isinstance(catalogue, str) or not catalogue.strip():
            raise MappingError(f"{name}: 'catalogue' must be a non-empty name, not {catalogue!r}")
        out["catalogue"] = catalogue.strip()
    for section, fields in _SECTIONS.items():
        if section not in data:
            continue
        spec = data[section]
        if not isinstance(spec, dict):
            raise MappingError(f"{name}: '{section}' must be a mapping")
        bad = set(spec) - _SECTION_KEYS
        if bad:
            raise MappingError(f"{name}: '{section}' has no key {', '.join(sorted(map(repr, bad)))} "
                               f"(it takes: {', '.join(sorted(_SECTION_KEYS))})")
        columns = spec.get("columns") or {}
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            raise MappingError(f"{name}: '{section}.columns' must map field names to column names")
        wrong = set(columns) - set(fields)
        if wrong:
            raise MappingError(f"{name}: '{section}.columns' has unknown field "
                               f"{', '.join(sorted(map(repr, wrong)))} (fields: {', '.join(fields)})")
        if section == "listings" and "title" not in columns:
            raise MappingError(f"{name}: 'listings.columns' must name the title column")
        if section == "episodes" and not spec.get("id"):
            raise MappingError(f"{name}: 'episodes.id' must name the column of the listing id")
        kinds = spec.get("kinds") or {}
        if not isinstance(kinds, dict) or not set(map(str, kinds.values())) <= {"movie", "series", "miniseries"}:
            raise MappingError(f"{name}: '{section}.kinds' must map values to movie, series or miniseries")
        out[section] = {
            "id": spec.get("id"), "id_prefix": str(spec.get("id_prefix") or ""),
            "columns": dict(columns), "kinds": {str(k).casefold(): v for k, v in kinds.items()},
            "delimiter": spec.get("delimiter"),
        }
    return out
