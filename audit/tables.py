"""From the adapters' rows to the validated tables the rules read.

Also derives the facts an episode list states by itself (how many episodes and seasons are
listed, the first and last air dates), as claims with source `listed`, so that rules compare
them with what the page says exactly as they compare any two statements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from . import schemas
from .arrow_ops import among, collapse_space
from .ingest.base import FIRST_DATE, LAST_DATE, PROBLEM_COLUMNS, Ingested, short_repr
from .model import CLAIM_COLUMNS, EPISODE_COLUMNS, LISTING_COLUMNS


@dataclass
class Tables:
    listings: pd.DataFrame
    episodes: pd.DataFrame
    claims: pd.DataFrame
    problems: pd.DataFrame


def frame_of(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows given one by one as a frame of these columns (untyped: the schemas type it)."""
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(
        {c: pd.Series(dtype="object") for c in columns})


def _joined(results: list[Ingested], table: str, columns: list[str],
            schema: pa.DataFrameSchema, release: bool = False) -> pd.DataFrame:
    """One frame of the rows adapters gave one by one and those they gave as frames, in the
    order of the inputs (runs of row-by-row inputs become one frame each). `release`: the
    inputs' frames are handed over (each result's list of them emptied)."""
    parts: list[pd.DataFrame] = []
    pending: list[dict] = []
    for result in results:
        pending += getattr(result, table)
        frames = getattr(result, table[:-1] + "_frames")
        if frames:
            if pending:
                parts.append(frame_of(pending, columns))
                pending = []
            parts += [f[columns] for f in frames]
            if release:
                if table == "episodes":
                    result.episodes_handed_over += sum(len(f) for f in frames)
                frames.clear()
    if pending or not parts:
        parts.append(frame_of(pending, columns))
    return schemas.concat(parts, schema)


def _validated(frame: pd.DataFrame, schema: pa.DataFrameSchema,
               problems: list[dict]) -> pd.DataFrame:
    """Validate lazily; a cell that cannot take its column's type becomes an LA602 (or, for a
    number no column can hold, LA401) problem and is blanked, and the rest of the table stands.

    Pandera coerces a whole column at once and, when that fails, names no cell or names cells
    that are fine alone (a date string beside a bool fails together, not one by one). So the
    failing columns are typed here instead, cell by cell in vectorised steps, and pandera
    validates the result.
    """
    schemas.compact(frame, schema)
    try:
        # In place: the frame is this function's own, and a copy of a catalogue's claims
        # would double the peak memory of building the tables.
        return schema.validate(frame, lazy=True, inplace=True)
    except pandera.errors.SchemaErrors as errors:
        failing = [name for name in errors.failure_cases["column"].dropna().unique()
                   if name in schema.columns and name in frame.columns]
    if not failing:
        raise
    frame = frame.copy()
    for name in failing:
        typed, why = _typed(frame[name], str(schema.columns[name].dtype))
        field_name = "episode_number" if (schema.name, name) == ("episodes", "number") else name
        for index, reason in why.items():
            row = frame.loc[index]
            shown = short_repr(frame.at[index, name])
            problems.append({
                "rule": "LA602" if reason.startswith("is not a") else "LA401",
                "listing_id": row.get("listing_id"), "path": row.get("path"),
                "line": row.get("line"), "column": row.get("column") if "column" in row else None,
                "text": shown, "field": field_name, "value": shown,
                "message": f"{field_name.replace('_', ' ')} \u201c{shown}\u201d {reason}",
            })
        frame[name] = typed
    return schema.validate(frame, lazy=True, inplace=True)


_ISO_DAY = r"\d{4}-\d{2}-\d{2}"


def _typed(values: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series]:
    """A column as `dtype`, with the cells that cannot take it blanked, and why each failed
    (indexed like the column)."""
    given = values.map(lambda v: v is not None and not (isinstance(v, float) and np.isnan(v)))
    is_bool = values.map(lambda v: isinstance(v, (bool, np.bool_)))
    why = pd.Series("", index=values.index, dtype="object")
    if dtype in ("Int64", "int64", "float64"):
        plain = values.map(lambda v: isinstance(v, (int, float, str, np.integer, np.floating))) & ~is_bool
        numbers = pd.to_numeric(values.where(plain), errors="coerce").astype("float64")
        why = why.mask(given & numbers.isna(), "is not a number")
        infinite = numbers.notna() & ~np.isfinite(numbers)
        why = why.mask(given & infinite, "is out of range: expected a finite number")
        if dtype != "float64":
            huge = numbers.abs() >= 2.0 ** 63
            why = why.mask(given & huge & ~infinite,
                           f"is out of range: expected a number of at most {2 ** 63 - 1}")
            why = why.mask(given & (why == "") & (numbers % 1 != 0), "is out of range: expected a whole number")
        typed = numbers.where(why == "")
        typed = typed.astype("Int64") if dtype == "Int64" else typed
    elif dtype.startswith("datetime64"):
        text = values.where(values.map(lambda v: isinstance(v, str)))
        day = text.str.fullmatch(_ISO_DAY).fillna(False).astype(bool)
        parsed = pd.to_datetime(text.where(day), errors="coerce", format="ISO8601")
        why = why.mask(given & parsed.isna(), "is not a date")
        outside = (parsed < pd.Timestamp.min) | (parsed > pd.Timestamp.max)
        why = why.mask(given & outside,
                       f"is out of range: expected a date from {FIRST_DATE} to {LAST_DATE}")
        typed = parsed.where(why == "").astype(dtype)
    elif dtype == "bool":
        why = why.mask(given & ~is_bool, "is not true or false")
        typed = values.where(is_bool, False).astype("bool")
    else:
        typed = values.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return typed, why[why != ""]


def _listed_claims(listings: pd.DataFrame, episodes: pd.DataFrame,
                   claims: pd.DataFrame) -> pd.DataFrame:
    complete = listings.loc[listings["complete_episode_list"], "listing_id"]
    regular = episodes[~episodes["special"] & among(episodes["listing_id"], complete)]
    if regular.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    ordered = regular.sort_values(["listing_id", "line", "episode"])
    ordered = ordered.assign(unseasoned=ordered["season"].isna())
    span = ordered.groupby("listing_id", sort=True).agg(
        count=("episode", "size"), line=("line", "min"), end_line=("end_line", "max"),
        text=("heading", "first"), path=("path", "first"),
        seasons=("season", "nunique"), unseasoned=("unseasoned", "sum"),
    ).reset_index()
    episode_count = span.assign(field="episode_count", value=span["count"].astype(str),
                                number=span["count"].astype(float))
    # A season count is stated only when every listed episode sits under a season heading.
    seasoned = span[(span["unseasoned"] == 0) & (span["seasons"] > 0)]
    season_count = seasoned.assign(field="season_count", value=seasoned["seasons"].astype(str),
                                   number=seasoned["seasons"].astype(float))
    per_season = ordered[ordered["season"].notna()].groupby(["listing_id", "season"]).agg(
        count=("episode", "size"), line=("line", "min"), end_line=("end_line", "max"),
        text=("heading", "first"), path=("path", "first")).reset_index()
    per_season = per_season.assign(
        field="season_episode_count", value=per_season["count"].astype(str),
        number=per_season["count"].astype(float),
        scope="season " + per_season["season"].astype(str))
    counted = pd.concat([episode_count, season_count, per_season], ignore_index=True)
    counted = counted.assign(source="listed", column=1, episode=pd.NA,
                             scope=counted.get("scope", pd.Series(dtype="str")).fillna(""))

    # First and last air dates point at the episode that shows them.
    dates = claims[(claims["field"] == "air_date") & claims["value"].notna()]
    dates = dates[among(dates["listing_id"], complete)]
    firsts = dates.sort_values(["value", "line"]).groupby("listing_id").head(1)
    lasts = dates.sort_values(["value", "line"], ascending=[False, True]).groupby("listing_id").head(1)
    dated = pd.concat([firsts.assign(field="first_air_date"), lasts.assign(field="last_air_date")],
                      ignore_index=True).assign(source="listed", episode=pd.NA)
    return pd.concat([counted[CLAIM_COLUMNS], dated[CLAIM_COLUMNS]], ignore_index=True)


def _text(values: pd.Series) -> pd.Series:
    """Strings, with anything missing or not text as the empty string."""
    return values.where(values.map(lambda v: isinstance(v, str)), "").astype("str")


def _normalised_titles(titles: pd.Series) -> pd.Series:
    """normalise_title() over a whole column at once."""
    folded = _text(titles).str.replace("\u00a0", " ", regex=False).str.casefold()
    return collapse_space(folded.str.replace(r"[^\w\s]", " ", regex=True))


def _contiguous(frame: pd.DataFrame) -> pd.DataFrame:
    for name in frame.columns:
        column = frame[name]
        single = schemas.contiguous(column)
        if single is not column:
            frame[name] = single
    return frame


def build_tables(results: list[Ingested], *,
                 listings_per_file: dict[str, int] | None = None,
                 release_frames: bool = False) -> Tables:
    """`listings_per_file`: how many listings each of these files holds in whole, for files
    of which `results` hold only a part (a partition); other files are counted here.
    `release_frames`: the episodes and claims the readers gave as frames are handed over
    to the tables (each result's `episode_frames` and `claim_frames` are emptied), so that
    a catalogue's rows are not held twice; the results can then no longer be tabulated
    again."""
    problems: list[dict] = [p for r in results for p in r.problems]
    listings = frame_of([row for r in results for row in r.listings], LISTING_COLUMNS)
    # An export holding several listings is a catalogue of its own unless a mapping names one;
    # loose pages and single records of a run together form the run's catalogue ("").
    sizes = listings.groupby("path")["listing_id"].transform("size")
    if listings_per_file:
        sizes = listings["path"].map(listings_per_file).fillna(sizes)
    exports = sizes > 1
    unnamed = listings["catalogue"].fillna("") == ""
    listings["catalogue"] = listings["catalogue"].fillna("").where(
        ~(exports & unnamed), listings["path"])
    # A year the schema cannot type ("19xx") becomes an LA602 problem below, not a crash here;
    # a missing title or kind (NaN once other rows have one) is LA601's business, not a crash.
    years = pd.to_numeric(listings["year"], errors="coerce")
    years = years.where((years % 1 == 0) & (years.abs() < 10_000))
    titles = _normalised_titles(listings["title"])
    keys = titles + "|" + _text(listings["kind"]) + "|" + _text(
        years.astype("Int64").astype("str").where(years.notna(), ""))
    # Listings without a title share no identity: each is LA601's, not one LA203 duplicate.
    listings["title_key"] = keys.where(titles != "", "")
    # The key when the source gave an id (s1, tvmaze:82), "" when the key is merely the
    # listing's title and year: two such keys matching is a title match, which LA203 judges
    # with more care (kind, description) than an id match.
    derived = titles + "|" + _text(years.astype("Int64").astype("str").where(years.notna(), ""))
    listings["id_key"] = listings["key"].astype("str").where(
        listings["key"].astype("str") != derived, "")
    listings = _validated(listings, schemas.LISTINGS, problems)
    episodes = _validated(_joined(results, "episodes", EPISODE_COLUMNS, schemas.EPISODES,
                                  release_frames), schemas.EPISODES, problems)
    claims = _validated(_joined(results, "claims", CLAIM_COLUMNS, schemas.CLAIMS, release_frames),
                        schemas.CLAIMS, problems)
    listed = _listed_claims(listings, episodes, claims)
    if not listed.empty:
        # Only the derived rows are validated: the claims already are, and joining two
        # frames of the schema's types (categories unified) keeps them.
        parts = [claims, schemas.CLAIMS.validate(listed, inplace=True)]
        del claims  # freed column by column as the concat copies it
        claims = schemas.concat(parts, schemas.CLAIMS)
    return Tables(
        listings=_contiguous(listings),
        episodes=_contiguous(episodes),
        claims=_contiguous(claims),
        problems=schemas.PROBLEMS.validate(frame_of(problems, PROBLEM_COLUMNS)),
    )
