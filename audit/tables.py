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
import pyarrow as pa_lib
import pandera.pandas as pa

from . import schemas
from .arrow_ops import among, collapse_space
from .ingest.base import PROBLEM_COLUMNS, Ingested
from .model import CLAIM_COLUMNS, EPISODE_COLUMNS, LISTING_COLUMNS


@dataclass
class Tables:
    listings: pd.DataFrame
    episodes: pd.DataFrame
    claims: pd.DataFrame
    problems: pd.DataFrame


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(
        {c: pd.Series(dtype="object") for c in columns})


def _joined(results: list[Ingested], table: str, columns: list[str]) -> pd.DataFrame:
    """One frame of the rows adapters gave one by one and those they gave as frames, in the
    order of the inputs (runs of row-by-row inputs become one frame each)."""
    parts: list[pd.DataFrame] = []
    pending: list[dict] = []
    for result in results:
        pending += getattr(result, table)
        frames = getattr(result, table[:-1] + "_frames")
        if frames:
            if pending:
                parts.append(_frame(pending, columns))
                pending = []
            parts += [f[columns] for f in frames]
    if not parts:
        return _frame(pending, columns)
    if pending:
        parts.append(_frame(pending, columns))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)


def _validated(frame: pd.DataFrame, schema: pa.DataFrameSchema,
               problems: list[dict]) -> pd.DataFrame:
    """Validate lazily; a cell that cannot take its column's type becomes an LA602 problem."""
    _type_integers(frame, schema)
    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        bad = cases[cases["index"].notna()]
        if bad.empty:
            bad = _failing_cells(frame, schema, cases["column"].dropna().unique())
        if bad.empty:
            raise
        for _, case in bad.iterrows():
            row = frame.loc[case["index"]]
            problems.append({
                "rule": "LA602", "listing_id": row.get("listing_id"), "path": row.get("path"),
                "line": row.get("line"), "column": row.get("column") if "column" in row else None,
                "text": str(case["failure_case"]), "field": case["column"],
                "value": str(case["failure_case"]),
                "message": f"{case['column']} {case['failure_case']!r} cannot be read as "
                           f"{schema.columns[case['column']].dtype}",
            })
            frame.loc[case["index"], case["column"]] = None
        return schema.validate(frame, lazy=True)


def _type_integers(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> None:
    """Give integer columns held as Python objects (lines, columns, episode numbers) their
    nullable integer type at C speed. pandas' own coercion inspects each object, which was
    most of the validation of a catalogue's claims; columns holding anything but integers
    and missing values are left to the schema, which reports what cannot be typed."""
    for name, column in schema.columns.items():
        if name not in frame.columns or str(column.dtype) != "Int64" or frame[name].dtype != object:
            continue
        values = frame[name]
        if pd.api.types.infer_dtype(values, skipna=True) not in ("integer", "empty"):
            continue
        try:
            floats = np.asarray(values.to_numpy(), dtype="float64")
        except (TypeError, ValueError):
            continue
        missing = np.isnan(floats)
        if (np.abs(floats[~missing]) >= 2.0 ** 53).any():
            continue  # beyond a float's exact integers
        frame[name] = pd.arrays.IntegerArray(np.where(missing, 0, floats).astype("int64"), missing)


def _failing_cells(frame: pd.DataFrame, schema: pa.DataFrameSchema, columns) -> pd.DataFrame:
    """The cells that cannot take their column's type, found one by one. Pandera names no
    row when a whole column fails to coerce (a date pandas cannot hold); this slow path runs
    only then."""
    rows = []
    for name in columns:
        if name not in schema.columns or name not in frame.columns:
            continue
        dtype = schema.columns[name].dtype
        for index, value in frame[name].items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            try:
                dtype.coerce(pd.Series([value], dtype="object"))
            except Exception:  # noqa: BLE001 - any failure means this cell cannot be typed
                rows.append({"index": index, "column": name, "failure_case": value})
    return pd.DataFrame(rows, columns=["index", "column", "failure_case"])


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
    """Each Arrow-backed column as one chunk. Tables joined from many inputs hold many
    chunks, and selecting a few rows of a chunked column costs as much as copying it whole:
    the rules select from these tables dozens of times."""
    for name in frame.columns:
        chunked = getattr(frame[name].array, "_pa_array", None)
        if chunked is None or chunked.num_chunks <= 1:
            continue
        try:
            single = chunked.combine_chunks()
        except (pa_lib.ArrowInvalid, pa_lib.ArrowCapacityError):
            continue  # beyond one chunk's 2 GiB of text: stays chunked
        frame[name] = pd.array(single, dtype=frame[name].dtype)
    return frame


def build_tables(results: list[Ingested]) -> Tables:
    problems: list[dict] = [p for r in results for p in r.problems]
    listings = _frame([row for r in results for row in r.listings], LISTING_COLUMNS)
    # An export holding several listings is a catalogue of its own unless a mapping names one;
    # loose pages and single records of a run together form the run's catalogue ("").
    exports = listings.groupby("path")["listing_id"].transform("size") > 1
    unnamed = listings["catalogue"].fillna("") == ""
    listings["catalogue"] = listings["catalogue"].fillna("").where(
        ~(exports & unnamed), listings["path"])
    # A year the schema cannot type ("19xx") becomes an LA602 problem below, not a crash here;
    # a missing title or kind (NaN once other rows have one) is LA601's business, not a crash.
    years = pd.to_numeric(listings["year"], errors="coerce")
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
    episodes = _validated(_joined(results, "episodes", EPISODE_COLUMNS), schemas.EPISODES, problems)
    claims = _validated(_joined(results, "claims", CLAIM_COLUMNS), schemas.CLAIMS, problems)
    listed = _listed_claims(listings, episodes, claims)
    if not listed.empty:
        claims = schemas.CLAIMS.validate(pd.concat([claims, listed], ignore_index=True))
    return Tables(
        listings=_contiguous(listings),
        episodes=_contiguous(episodes),
        claims=_contiguous(claims),
        problems=schemas.PROBLEMS.validate(_frame(problems, PROBLEM_COLUMNS)),
    )
