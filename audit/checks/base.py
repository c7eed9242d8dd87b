"""What every check kind shares: its parameters, its hits, and evidence taken from table rows.

A check kind is a module of this package with
    KIND        its name in rule files
    PARAMETERS  {name: Param}: what a rule may set, validated when rules load
    VARIABLES   the names a rule's message template may use
    run(tables, params, ctx) -> list[Hit]
It evaluates one rule's check over whole tables at once and returns one Hit per finding.
It also says what its hits depend on, so that a partitioned run (audit/partitioned) knows
where it may run:
    SCOPE = "listing"   each hit reads the rows of one listing only: it runs on every
                        partition of listings, wherever they are
or
    scope(params) -> "listing" | "catalogue"   and, for "catalogue",
    gathers(params) -> Needs   the rows it reads besides the listings table, gathered from
                               every partition before it runs once over them
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import pandas as pd

try:  # the regular-expression parser moved in Python 3.11
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants, sre_parse  # type: ignore[no-redef]

from ..model import SOURCE_LABELS, Evidence, Severity


class CheckError(ValueError):
    """A check's parameters are wrong; the message names the parameter."""


@dataclass(frozen=True)
class Param:
    types: tuple[type, ...]
    required: bool = False
    default: Any = None
    help: str = ""
    allowed: tuple[Any, ...] | None = None


@dataclass
class Context:
    as_of: dt.date
    rule_id: str = ""

    @property
    def as_of_timestamp(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of)


@dataclass(frozen=True)
class Needs:
    """The rows a catalogue-wide check reads besides the listings table: the claims of these
    fields, and the episodes table when `episodes`."""

    claims: tuple[str, ...] = ()
    episodes: bool = False


@dataclass
class Hit:
    path: str
    listing_id: str | None
    evidence: list[Evidence]
    variables: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None
    message: str | None = None  # a complete message that overrides the rule's template


def validate_params(kind: str, parameters: dict[str, Param], given: dict[str, Any],
                    resolve: Callable[[Any], Any]) -> dict[str, Any]:
    """Check a rule's check mapping against the kind's parameters; return them with defaults."""
    unknown = sorted(set(given) - set(parameters) - {"kind", "message", "severity"})
    if unknown:
        raise CheckError(f"check kind '{kind}' has no parameter {', '.join(map(repr, unknown))} "
                         f"(it takes: {', '.join(sorted(parameters))})")
    out: dict[str, Any] = {}
    for name, spec in parameters.items():
        if name not in given:
            if spec.required:
                raise CheckError(f"check kind '{kind}' needs '{name}': {spec.help}")
            out[name] = spec.default
            continue
        value = resolve(given[name])
        if not isinstance(value, spec.types) or (isinstance(value, bool) and bool not in spec.types):
            names = " or ".join(t.__name__ for t in spec.types)
            raise CheckError(f"'{name}' must be {names}, not {type(value).__name__} {value!r}")
        if spec.allowed is not None and value not in spec.allowed:
            raise CheckError(f"'{name}' must be one of {', '.join(map(str, spec.allowed))}, "
                             f"not {value!r}")
        out[name] = value
    return out


MAX_REGEX_CHARS = 2000
MAX_REPEAT = 1000


def compile_checked(regex: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a rule's regular expression within the limits of docs/limits.md: at most
    MAX_REGEX_CHARS characters and counted repeats ({m,n}) up to MAX_REPEAT. (Nested
    unbounded repeats are allowed: shipped rules use safe ones; values are cut at 20,000
    characters, which bounds what any backtracking can cost.) Raises CheckError naming the regex."""
    if not isinstance(regex, str):
        raise CheckError(f"a regex must be text, not {type(regex).__name__} {regex!r}")
    compiled, error = _checked(regex, flags)
    if error is not None:
        raise CheckError(error)
    return compiled  # type: ignore[return-value]


@lru_cache(maxsize=1024)
def _checked(regex: str, flags: int) -> tuple[re.Pattern[str] | None, str | None]:
    """compile_checked's answer, kept: rules are resolved when they load and again for every
    run, and parsing their expressions each time was a few percent of a small run."""
    shown = regex if len(regex) <= 60 else regex[:59] + "\u2026"
    if len(regex) > MAX_REGEX_CHARS:
        return None, f"regex {shown!r} is longer than {MAX_REGEX_CHARS} characters"
    try:
        tree = sre_parse.parse(regex, flags)
        compiled = re.compile(regex, flags)
    except (re.error, OverflowError, RecursionError) as exc:
        return None, f"invalid regex {shown!r}: {exc}"
    try:
        _check_repeats(tree, shown, inside_unbounded=False)
    except CheckError as exc:
        return None, str(exc)
    return compiled, None


def _check_repeats(tree: Any, shown: str, inside_unbounded: bool) -> None:
    for op, value in tree:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = value
            unbounded = high == sre_constants.MAXREPEAT
            if not unbounded and high > MAX_REPEAT or low > MAX_REPEAT:
                raise CheckError(f"regex {shown!r} repeats more than {MAX_REPEAT} times")
            _check_repeats(body, shown, inside_unbounded or (unbounded and name != "POSSESSIVE_REPEAT"))
        elif name == "SUBPATTERN":
            _check_repeats(value[-1], shown, inside_unbounded)
        elif name == "BRANCH":
            for branch in value[1]:
                _check_repeats(branch, shown, inside_unbounded)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _check_repeats(value[1], shown, inside_unbounded)
        elif name == "ATOMIC_GROUP":
            _check_repeats(value, shown, False)


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def optional_int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar: counts as ints, other numbers as floats, text as text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_EVIDENCE_ORDER = ["path", "line", "column"]


def claim_evidence_item(row: Any) -> Evidence:
    value = _plain(row.number) if not pd.isna(row.number) else _plain(row.value)
    return Evidence(
        path=row.path, line=optional_int(row.line), column=optional_int(row.column),
        text="" if pd.isna(row.text) else str(row.text), field=row.field, value=value,
        source=row.source, end_line=optional_int(row.end_line), episode=optional_int(row.episode))


def claim_evidence_by_group(rows: pd.DataFrame, keys: list[str]) -> dict[tuple, list[Evidence]]:
    """Evidence for many findings at once: one sort and one pass, however many groups.

    Keys are tuples of the `keys` columns' values (also for a single key).
    """
    if rows.empty:
        return {}
    ordered = rows.sort_values(keys + _EVIDENCE_ORDER, na_position="first", kind="stable")
    positions = [ordered.columns.get_loc(k) for k in keys]
    grouped: dict[tuple, list[Evidence]] = {}
    for row in ordered.itertuples(index=False):
        grouped.setdefault(tuple(row[p] for p in positions), []).append(claim_evidence_item(row))
    return grouped


def describe_by_group(rows: pd.DataFrame, keys: list[str]) -> dict[tuple, list[str]]:
    """describe_claim() for many findings at once, each group's claims in line order."""
    ordered = rows.sort_values(keys + ["line", "column"], na_position="first", kind="stable")
    positions = [ordered.columns.get_loc(k) for k in keys]
    grouped: dict[tuple, list[str]] = {}
    for row in ordered.itertuples(index=False):
        grouped.setdefault(tuple(row[p] for p in positions), []).append(describe_claim(row))
    return grouped


_STRUCTURED_SOURCES = {"field", "jsonld"}
_LISTED_DATES = {"first_air_date": "earliest", "last_air_date": "newest"}


def describe_claim(row: Any) -> str:
    """How a message names one claim: 'the description says "eight-episode series" (line 9)'."""
    where = _lines(row.line, row.end_line)
    if row.source == "listed":
        if row.field in _LISTED_DATES:
            return f"the {_LISTED_DATES[row.field]} episode listed aired \u201c{row.text}\u201d ({where})"
        value = _plain(row.number) if not pd.isna(row.number) else row.value
        return f"{value} {'is' if value == 1 else 'are'} listed ({where})"
    label = SOURCE_LABELS.get(row.source, row.source)
    if row.source in _STRUCTURED_SOURCES:
        # A field's bare value ("2014-05-30") means nothing without the field's name.
        return f"the {label} gives {row.field.replace('_', ' ')} \u201c{row.text}\u201d ({where})"
    return f"the {label} says \u201c{row.text}\u201d ({where})"


def _lines(line: Any, end_line: Any) -> str:
    if line is None or pd.isna(line):
        return "no line"
    if end_line is not None and not pd.isna(end_line) and int(end_line) != int(line):
        return f"lines {int(line)}-{int(end_line)}"
    return f"line {int(line)}"


def without_specials(claims: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Claims of regular episodes and of listings: specials (season 0, unnumbered, marked
    special) stand outside a listing's run, so numbering, order and title rules skip them."""
    specials = episodes.loc[episodes["special"], ["listing_id", "episode"]]
    if specials.empty:
        return claims
    special_keys = pd.MultiIndex.from_frame(specials.astype({"episode": "int64"}))
    on_episode = claims["episode"].notna()
    keys = pd.MultiIndex.from_arrays([claims["listing_id"],
                                      claims["episode"].fillna(-1).astype("int64")])
    return claims[~(on_episode & keys.isin(special_keys))]


def select_claims(claims: pd.DataFrame, fields: list[str], *, level: str = "any",
                  sources: list[str] | None = None) -> pd.DataFrame:
    """Claims of the given fields; level 'listing' or 'episode' keeps one kind of claim."""
    field_column = claims["field"]
    if isinstance(field_column.dtype, pd.CategoricalDtype):
        # Integers compared, not strings: checks select claims dozens of times.
        wanted = field_column.cat.categories.get_indexer(fields)
        mask = np.isin(field_column.cat.codes.to_numpy(), wanted[wanted >= 0])
    else:
        mask = field_column.isin(fields).to_numpy(copy=True)
    if level == "listing":
        mask &= claims["episode"].isna()
    elif level == "episode":
        mask &= claims["episode"].notna()
    if sources:
        mask &= claims["source"].isin(sources)
    return claims[mask]
