"""schema: values a field must have, checked by a pandera schema built from the rule.

    table: claims    fields: [rating]         numeric: true     a score must be a number
    table: claims    fields: [content_rating] matches: '(G|PG|PG-13|R|TV-MA|...)'
    table: claims    fields: [content_rating] allowed: [$content_ratings, $more_content_ratings]
    table: claims    fields: [title, type]    not_empty: true
    table: listings  columns: [title]         not_empty: true

`allowed` is a vocabulary kept as data (lists are flattened, so a rule can join its own list
and one a team adds in its configuration); values compare without case and with runs of white
space as one space. With both `matches` and `allowed`, a value fitting either is known.
`looks_like` names what a bad value resembles instead ({regex: label}), so a message can say
"'74 min' in rating looks like a duration".
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from ..model import Evidence
from ..tables import Tables
from .base import compile_checked, CheckError, Context, Hit, Param, optional_int, as_list, claim_evidence_item, select_claims

KIND = "schema"
PARAMETERS = {
    "table": Param((str,), default="claims", allowed=("claims", "listings")),
    "fields": Param((list, str), help="claims: the fields checked"),
    "columns": Param((list,), help="listings: the columns checked"),
    "not_empty": Param((bool,), default=False),
    "numeric": Param((bool,), default=False, help="claims: the value must read as a number"),
    "matches": Param((str,), help="regular expression the whole value must match"),
    "allowed": Param((list,), help="the known values (lists inside are flattened)"),
    "looks_like": Param((dict,), default=None, help="{regex: label} to name a bad value"),
}
VARIABLES = {"value", "field", "expected", "resembles"}
# Each hit reads the rows of one listing only (audit/checks/__init__.py: scope_of).
SCOPE = "listing"


def _vocabulary(allowed: list | None) -> set[str] | None:
    if allowed is None:
        return None
    flat: list = []
    for item in allowed:
        flat.extend(item if isinstance(item, list) else [item])
    return {_fold(str(v)) for v in flat}


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def validate(params: dict) -> None:
    for item in params["allowed"] or []:
        values = item if isinstance(item, list) else [item]
        if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            raise CheckError(f"'allowed' must list values (text), not {item!r}")
    for regex in [params["matches"], *(params["looks_like"] or {})]:
        if regex is None:
            continue
        compile_checked(regex)
    if params["table"] == "claims" and not params["fields"]:
        raise CheckError("a claims schema check needs 'fields'")
    if params["table"] == "listings" and not params["columns"]:
        raise CheckError("a listings schema check needs 'columns'")


def _expected(params: dict) -> str:
    if params["numeric"]:
        return "a number"
    if params["matches"] or params["allowed"] is not None:
        return "a known value"
    return "a value"


def _failures(frame: pd.DataFrame, columns: list[str], params: dict) -> list:
    checks = []
    if params["not_empty"]:
        checks.append(pa.Check(lambda s: s.fillna("").str.strip() != "", name="not_empty"))
    regex, vocabulary = params["matches"], _vocabulary(params["allowed"])
    if regex or vocabulary is not None:
        def known(s: pd.Series) -> pd.Series:
            stripped = s.fillna("").str.strip()
            # An empty value is a missing field, not a wrong one; not_empty reports that.
            ok = stripped.eq("")
            if regex:
                ok |= stripped.str.fullmatch(regex)
            if vocabulary is not None:
                folded = stripped.str.replace(r"\s+", " ", regex=True).str.casefold()
                ok |= folded.isin(vocabulary)
            return ok
        checks.append(pa.Check(known, name="matches"))
    # pandera skips nulls when running checks, so a required value must be non-nullable too.
    schema = pa.DataFrameSchema({c: pa.Column(nullable=not params["not_empty"], checks=checks)
                                 for c in columns})
    try:
        schema.validate(frame[columns], lazy=True)
        return []
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases.dropna(subset=["index"])
        return sorted(set(zip(cases["index"], cases["column"])), key=lambda k: (str(k[0]), k[1]))


def _resembles(value: str, params: dict) -> str:
    for regex, label in (params["looks_like"] or {}).items():
        if re.fullmatch(regex, value.strip(), re.IGNORECASE):
            return label
    return ""


def run(tables: Tables, params: dict, ctx: Context) -> list[Hit]:
    hits = []
    if params["table"] == "listings":
        for index, column in _failures(tables.listings, params["columns"], params):
            row = tables.listings.loc[index]
            evidence = [Evidence(path=row["path"], line=optional_int(row["line"]), column=None,
                                 text="", field=column, value=None, source="listing")]
            hits.append(Hit(path=row["path"], listing_id=row["listing_id"], evidence=evidence,
                            variables={"value": "", "field": column, "expected": _expected(params),
                                       "resembles": ""}))
        return hits
    rows = select_claims(tables.claims, as_list(params["fields"]))
    frame = rows.assign(value=rows["value"].fillna(""))
    bad = {index for index, _ in _failures(frame, ["value"], params)}
    if params["numeric"]:
        bad |= set(rows.index[rows["number"].isna() & rows["value"].fillna("").str.strip().ne("")])
    for row in rows.loc[sorted(bad)].itertuples(index=False):
        value = "" if pd.isna(row.value) else row.value
        resembles = _resembles(value, params)
        hits.append(Hit(path=row.path, listing_id=row.listing_id,
                        evidence=[claim_evidence_item(row)],
                        variables={"value": value, "field": row.field.replace("_", " "),
                                   "expected": _expected(params),
                                   "resembles": f" (it looks like {resembles})" if resembles else ""}))
    return hits
