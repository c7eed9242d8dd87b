"""Unit tests of each check kind over small hand-built tables, and of rule-file validation.

Tables come from Builder rows through build_tables (the same path every adapter takes), so
each test states only the claims it is about. Checks run directly with validated parameters;
the rule-language tests load rule files written to tmp_path with load_rules([dir]).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

import pytest

from audit.checks import CHECKS
from audit.checks.base import CheckError, Context, validate_params
from audit.engine import run_rules
from audit.ingest.base import Builder
from audit.model import Severity
from audit.ruleset import RuleError, load_rules, select_rules
from audit.tables import Tables, build_tables

AS_OF = dt.date(2026, 11, 24)


def tables(*builds: Callable[[Builder], Any]) -> Tables:
    results = []
    for number, build in enumerate(builds, start=1):
        builder = Builder(f"feed{number}.json", "json")
        build(builder)
        results.append(builder.result())
    return build_tables(results)


def run(kind: str, params: dict, tabs: Tables, as_of: dt.date = AS_OF, rule_id: str = "LA999"):
    module = CHECKS[kind]
    resolved = validate_params(kind, module.PARAMETERS, {"kind": kind, **params}, lambda v: v)
    if hasattr(module, "validate"):
        module.validate(resolved)
    return module.run(tabs, resolved, Context(as_of=as_of, rule_id=rule_id))


def claims(*rows: tuple, title: str = "Harbour Lights", kind: str | None = None,
           year: int | None = 2025):
    """One listing with claims (field, value, line[, text[, extra]])."""
    def build(b: Builder):
        lid = b.listing(title, line=1, kind=kind, year=year)
        for row in rows:
            field, value, line = row[:3]
            text = row[3] if len(row) > 3 else str(value)
            extra = dict(row[4]) if len(row) > 4 else {}
            b.claim(lid, field, value, source=extra.pop("source", "field"), line=line,
                    column=extra.pop("column", 1), text=text, **extra)
    return build


def lines(hit) -> list[tuple]:
    return [(e.line, e.text) for e in hit.evidence]


# --- consistency --------------------------------------------------------------------------

def test_consistency_numbers_disagree_and_agree():
    tabs = tables(claims(("episode_count", 8, 9, "eight-episode series", {"source": "description"}),
                         ("episode_count", 4, 23, "4 episodes", {"source": "summary"})),
                  claims(("episode_count", 6, 3), ("episode_count", 6, 5), title="Other"))
    [hit] = run("consistency", {"field": "episode_count"}, tabs)
    assert hit.listing_id == "feed1.json#1"
    assert lines(hit) == [(9, "eight-episode series"), (23, "4 episodes")]
    assert hit.variables == {
        "details": "the description says \u201ceight-episode series\u201d (line 9); the summary "
                   "sentence says \u201c4 episodes\u201d (line 23)",
        "values": "8, 4", "field": "episode_count"}


def test_consistency_tolerance_is_inclusive():
    tabs = tables(claims(("rating", 6.7, 7), ("rating", 6.75, 51)))
    assert run("consistency", {"field": "rating", "tolerance": 0.05}, tabs) == []
    assert len(run("consistency", {"field": "rating", "tolerance": 0.04}, tabs)) == 1


@pytest.mark.parametrize("first,second,conflict", [
    ((1000, "1,000"), (1010, "1,010"), False),   # 10 votes
    ((1000, "1,000"), (1011, "1,011"), True),    # 11 votes, 1.09%
    ((5000, "5,000"), (5050, "5,050"), False),   # 1% of the larger value
    ((5000, "5,000"), (5051, "5,051"), True),
    ((1200, "1.2K"), (1234, "1,234"), False),    # 1.2K rounds 1,150-1,250
    ((1200, "1.2K"), (1250, "1,250"), False),
    ((1200, "1.2K"), (1275, "1,275"), True),     # 25 beyond 1,250: over 10 and over 1%
    ((1200, "1.2k"), (1300, "1.3K"), False),     # ranges touch at 1,250
    ((1200, "1.2K"), (1400, "1.4K"), True),
    ((2_000_000, "2M"), (2_400_000, "2,400,000"), False),  # "2M" is 1.5M-2.5M
    ((2_000_000, "2M"), (2_600_000, "2,600,000"), True),
])
def test_consistency_relative_tolerance_and_abbreviations(first, second, conflict):
    tabs = tables(claims(("votes", first[0], 7, first[1]), ("votes", second[0], 41, second[1])))
    hits = run("consistency", {"field": "votes", "tolerance": 10, "relative_tolerance": 0.01}, tabs)
    assert bool(hits) is conflict


def test_consistency_abbreviation_needs_a_unit():
    """Plain "1.2" is no abbreviation: a rating of 1.2 against 1.7 disagrees."""
    tabs = tables(claims(("rating", 1.2, 7, "1.2"), ("rating", 1.7, 41, "1.7")))
    assert len(run("consistency", {"field": "rating", "tolerance": 0.05}, tabs)) == 1


def test_consistency_groups_by_scope_and_ignores_episode_claims():
    tabs = tables(claims(
        ("season_episode_count", 10, 2, "10", {"scope": "season 1"}),
        ("season_episode_count", 8, 9, "8", {"scope": "season 1"}),
        ("season_episode_count", 6, 3, "6", {"scope": "season 2"}),
        ("season_episode_count", 6, 20, "6", {"scope": "season 2"}),
        # Episode-level claims are facts about one episode, never about the listing.
        ("season_episode_count", 99, 30, "99", {"scope": "season 2", "episode": 0}),
    ))
    [hit] = run("consistency", {"field": "season_episode_count"}, tabs)
    assert hit.variables["details"].startswith("season 1: ")
    assert lines(hit) == [(2, "10"), (9, "8")]


def test_consistency_sources_filter():
    tabs = tables(claims(("rating", 6.7, 7, "6.7", {"source": "header"}),
                         ("rating", 7.6, 51, "7.6", {"source": "footer"}),
                         ("rating", 6.7, 60, "6.7", {"source": "jsonld"})))
    assert run("consistency", {"field": "rating", "sources": ["header", "jsonld"]}, tabs) == []
    assert len(run("consistency", {"field": "rating"}, tabs)) == 1


@pytest.mark.parametrize("values,conflict", [
    (["2007", "2007-09-23"], False),
    (["2007-09-23", "2007-09-23", "2007"], False),
    (["2007", "2008-01-02"], True),
    (["2007-09-23", "2007-09-24"], True),
    (["2007", "2008"], True),
])
def test_consistency_dates(values, conflict):
    rows = [("premiere_date" if len(v) == 10 else "year", v, i + 1) for i, v in enumerate(values)]
    tabs = tables(claims(*rows))
    hits = run("consistency", {"field": ["premiere_date", "year"], "compare": "date"}, tabs)
    assert bool(hits) is conflict


def test_consistency_text_ignores_case_and_space():
    tabs = tables(claims(("kind", "Movie", 2), ("kind", " movie ", 3)),
                  claims(("kind", "Movie", 2), ("kind", "TV Show", 3), title="Other"))
    [hit] = run("consistency", {"field": "kind", "compare": "text"}, tabs)
    assert hit.listing_id == "feed2.json#1"
    assert hit.variables["values"] == "Movie, TV Show"


# --- duplicate ----------------------------------------------------------------------------

def episode_claims(field: str, values: list[str], title: str = "Harbour Lights"):
    def build(b: Builder):
        lid = b.listing(title, line=1)
        for index, value in enumerate(values):
            b.claim(lid, field, value, source="episode", line=10 + 4 * index, column=1,
                    text=value, episode=index)
    return build


SYNOPSIS = "Nell finds contraband hidden in the harbour wall."


def test_duplicate_within_listing_with_severity_for_covering_all():
    tabs = tables(episode_claims("synopsis", [SYNOPSIS, SYNOPSIS.upper(), "Another story here, long."]),
                  episode_claims("synopsis", [SYNOPSIS, SYNOPSIS], title="Other"))
    params = {"field": "synopsis", "min_length": 20, "covers_all_severity": "error"}
    hits = run("duplicate", params, tabs)
    assert [(h.listing_id, h.severity, h.variables["count"], h.variables["total"]) for h in hits] == [
        ("feed1.json#1", None, 2, 3), ("feed2.json#1", Severity.ERROR, 2, 2)]
    assert hits[0].variables["lines"] == "10, 14"
    assert lines(hits[0]) == [(10, SYNOPSIS), (14, SYNOPSIS.upper())]


def test_duplicate_within_catalogue():
    tabs = tables(episode_claims("date_added", ["2021-09-25"]),
                  episode_claims("date_added", ["2021-09-25"], title="Other"))
    assert run("duplicate", {"field": "date_added"}, tabs) == []
    [hit] = run("duplicate", {"field": "date_added", "within": "catalogue"}, tabs)
    assert hit.variables["copies"] == "feed1.json:10; feed2.json:10"


def test_duplicate_min_length_exclude_and_folding():
    tabs = tables(episode_claims("episode_title", ["TBA", "tba", "Pilot", "Pilot\u00a0", "Part 1",
                                                   "Part 1"]))
    hits = run("duplicate", {"field": "episode_title", "exclude": r"^\s*(?:tba|part\s*\d+)\s*$"},
               tabs)
    assert [h.variables["value"] for h in hits] == ["Pilot"]
    assert run("duplicate", {"field": "episode_title", "min_length": 7}, tabs) == []


def test_duplicate_covers_all_and_min_rows():
    same = episode_claims("air_date", ["2007-09-23"] * 3)
    two = episode_claims("air_date", ["2007-09-23"] * 2, title="Two")
    most = episode_claims("air_date", ["2007-09-23"] * 3 + ["2007-09-30"], title="Most")
    hits = run("duplicate", {"field": "air_date", "covers_all": True, "min_rows": 3},
               tables(same, two, most))
    assert [(h.listing_id, h.variables["count"]) for h in hits] == [("feed1.json#1", 3)]


def test_duplicate_listings_by_columns():
    def build(b: Builder):
        b.listing("Consequences", line=2, key="s1", kind="Movie", year=2018)
        b.listing("CONSEQUENCES ", line=3, key="s2", kind="Movie", year=2018)
        b.listing("Consequences", line=4, key="s3", kind="Movie", year=2019)
    tabs = tables(build)
    assert run("duplicate", {"table": "listings", "columns": ["key"], "within": "catalogue"},
               tabs) == []
    [hit] = run("duplicate", {"table": "listings", "columns": ["title_key"],
                              "within": "catalogue"}, tabs)
    assert [(e.line, e.text) for e in hit.evidence] == [(2, "Consequences"), (3, "CONSEQUENCES ")]
    assert hit.variables["count"] == 2


# --- conditional --------------------------------------------------------------------------

RUNNING = ("status", "running", 23, "is currently running", {"source": "summary"})


def test_conditional_value_and_message_variables():
    tabs = tables(claims(RUNNING, ("status", "ended", 9, "has ended", {"source": "description"})),
                  claims(RUNNING, title="Still on"))
    params = {"when": {"field": "status", "value": "running"},
              "forbid": [{"field": "status", "value": "ended"}]}
    [hit] = run("conditional", params, tabs)
    assert hit.listing_id == "feed1.json#1"
    assert lines(hit) == [(9, "has ended"), (23, "is currently running")]
    assert hit.variables == {
        "when": "the summary sentence says \u201cis currently running\u201d (line 23)",
        "conflicts": "the description says \u201chas ended\u201d (line 9)"}


def test_conditional_also_unless_and_number_and_text_conditions():
    movie = ("kind", "movie", 2, "Movie")
    promo = claims(movie, ("runtime", "1", 2, "1 min", {"number": 1.0}),
                   ("description", "x", 2, "Coming to Disney+ in 2022."), title="Willow")
    short = claims(movie, ("runtime", "3", 2, "3 min", {"number": 3.0}),
                   ("description", "x", 2, "A granddaughter mends a beloved Mickey."), title="Short")
    feature = claims(movie, ("runtime", "95", 2, "95 min", {"number": 95.0}),
                     ("description", "x", 2, "Coming in 2022."), title="Feature")
    params = {"when": {"field": "kind", "value": "movie"},
              "also": [{"field": "runtime", "min": 1, "max": 3}],
              "forbid": [{"field": "description", "matches": r"\bcoming\b.*\b20\d\d\b"}]}
    [hit] = run("conditional", params, tables(promo, short, feature))
    assert lines(hit) == [(2, "Movie"), (2, "1 min"), (2, "Coming to Disney+ in 2022.")]
    assert hit.variables["also"] == "the record gives runtime \u201c1 min\u201d (line 2)"
    series = claims(("kind", "series", 2, "SHOW"), ("runtime", "25", 2, "25", {"number": 25.0}),
                    ("season_count", "1", 2, "1", {"number": 1.0}))
    bare = claims(("kind", "series", 2, "SHOW"), ("runtime", "25", 2, "25", {"number": 25.0}),
                  ("season_count", "4", 2, "four seasons", {"number": 4.0, "source": "description"}),
                  title="Bare")
    params = {"when": {"field": "kind", "value": "series"}, "forbid": [{"field": "runtime"}],
              "unless": [{"field": "season_count", "sources": ["field"]}]}
    [hit] = run("conditional", params, tables(series, bare))
    assert hit.listing_id == "feed2.json#1" and "also" not in hit.variables


@pytest.mark.parametrize("last,days,stale", [
    ("2024-11-23", 730, True), ("2024-11-24", 730, False),
    ("2020", 1461, True), ("2022", 1461, False),   # a year counts as its last day
])
def test_conditional_older_than_days(last, days, stale):
    tabs = tables(claims(RUNNING, ("last_air_date", last, 40)))
    params = {"when": {"field": "status", "value": "running"},
              "forbid": [{"field": "last_air_date", "older_than_days": days}]}
    assert bool(run("conditional", params, tabs)) is stale


def test_conditional_after_as_of_and_level():
    tabs = tables(claims(("status", "ended", 9),
                         ("air_date", "2026-12-01", 30, "December 1, 2026", {"episode": 0}),
                         ("air_date", "2026-11-24", 31, "November 24, 2026", {"episode": 1}),
                         ("premiere_date", "2027", 5)))
    params = {"when": {"field": "status", "value": "ended"},
              "forbid": [{"field": ["air_date", "premiere_date"], "level": "episode",
                          "after_as_of": True}]}
    [hit] = run("conditional", params, tabs)
    assert lines(hit) == [(9, "ended"), (30, "December 1, 2026")]


def test_conditional_before_when():
    tabs = tables(claims(("premiere_date", "2007", 5),
                         ("air_date", "2006-12-31", 30, "December 31, 2006", {"episode": 0}),
                         ("air_date", "2007-01-01", 34, "January 1, 2007", {"episode": 1})))
    params = {"when": {"field": "premiere_date"},
              "forbid": [{"field": "air_date", "level": "episode", "before_when": True}]}
    [hit] = run("conditional", params, tabs)
    assert lines(hit) == [(5, "2007"), (30, "December 31, 2006")]


def test_conditional_values_list_is_case_insensitive():
    tabs = tables(claims(("kind", "Miniseries", 2), ("runtime", 90, 3, "90 min")))
    params = {"when": {"field": "kind", "values": ["series", "miniseries"]},
              "forbid": [{"field": "runtime"}]}
    assert len(run("conditional", params, tabs)) == 1


@pytest.mark.parametrize("params,error", [
    ({"when": {"value": "running"}, "forbid": []}, "at least 'field'"),
    ({"when": {"field": "status", "colour": "red"}, "forbid": []}, "no key 'colour'"),
    ({"when": {"field": "status", "before_when": True}, "forbid": []}, "only makes sense in a forbid"),
    ({"when": {"field": "status"}, "forbid": [{"field": "x", "level": "season"}]},
     "'level' must be any, listing or episode"),
    ({"when": {"field": "status"}}, "needs 'forbid'"),
    ({"when": "status", "forbid": []}, "'when' must be dict"),
])
def test_conditional_parameter_errors(params, error):
    with pytest.raises(CheckError, match=error):
        run("conditional", params, tables(claims()))


# --- range --------------------------------------------------------------------------------

def test_range_bounds_integer_and_years():
    tabs = tables(claims(("rating", 10, 1), ("rating", 10.1, 2), ("rating", -0.1, 3),
                         ("votes", 0, 4), ("votes", 2.5, 5), ("year", 1888, 6), ("year", 2031, 7),
                         ("year", 2032, 8), ("year", 1887, 9)))
    rating = run("range", {"field": "rating", "min": 0, "max": 10}, tabs)
    assert [(lines(h), h.variables["bounds"]) for h in rating] == [
        ([(2, "10.1")], "a number from 0 to 10"), ([(3, "-0.1")], "a number from 0 to 10")]
    votes = run("range", {"field": "votes", "min": 0, "integer": True}, tabs)
    assert [(lines(h), h.variables["bounds"]) for h in votes] == [
        ([(5, "2.5")], "a whole number of at least 0")]
    years = run("range", {"field": "year", "min": 1888, "max_years_after_as_of": 5}, tabs)
    assert [lines(h)[0] for h in years] == [(8, "2032"), (9, "1887")]
    assert years[0].variables["field"] == "year"


def test_range_skips_values_without_a_number():
    tabs = tables(claims(("rating", "N/A", 1)))
    assert run("range", {"field": "rating", "min": 0, "max": 10}, tabs) == []


# --- schema -------------------------------------------------------------------------------

def test_schema_not_empty_on_claims_and_listings():
    def build(b: Builder):
        lid = b.listing(None, line=3)
        b.claim(lid, "content_rating", "", source="field", line=3, column=9, text="")
        b.claim(lid, "kind", "  ", source="field", line=3, column=2, text="  ")
        b.claim(lid, "director", "", source="field", line=3, column=4, text="")
        b.listing("Fine", line=4)
    tabs = tables(build)
    hits = run("schema", {"fields": ["content_rating", "kind"], "not_empty": True}, tabs)
    assert sorted(h.variables["field"] for h in hits) == ["content rating", "kind"]
    [hit] = run("schema", {"table": "listings", "columns": ["title"], "not_empty": True}, tabs)
    assert hit.listing_id == "feed1.json#1" and hit.evidence[0].line == 3


def test_schema_matches_and_looks_like():
    tabs = tables(claims(("content_rating", "74 min", 2), ("content_rating", "TV-MA", 3),
                         ("content_rating", "", 4), ("content_rating", "Family", 5)))
    params = {"fields": ["content_rating"], "matches": "TV-MA|PG-13",
              "looks_like": {r"\d+\s*min": "a duration"}}
    hits = run("schema", params, tabs)
    assert [(lines(h), h.variables["resembles"]) for h in hits] == [
        ([(2, "74 min")], " (it looks like a duration)"), ([(5, "Family")], "")]
    assert hits[0].variables["expected"] == "a known value"


def test_schema_numeric():
    tabs = tables(claims(("rating", "seven", 2), ("rating", 7.0, 3), ("rating", "", 4)))
    [hit] = run("schema", {"fields": "rating", "numeric": True}, tabs)
    assert lines(hit) == [(2, "seven")] and hit.variables["expected"] == "a number"


@pytest.mark.parametrize("params,error", [
    ({"fields": ["x"], "matches": "(unclosed"}, "invalid regex '\\(unclosed'"),
    ({"fields": ["x"], "looks_like": {"[a-": "x"}}, "invalid regex"),
    ({"not_empty": True}, "a claims schema check needs 'fields'"),
    ({"table": "listings", "not_empty": True}, "a listings schema check needs 'columns'"),
    ({"table": "episodes", "fields": ["x"]}, "'table' must be one of claims, listings"),
    ({"fields": ["x"], "not_empty": "yes"}, "'not_empty' must be bool, not str 'yes'"),
])
def test_schema_parameter_errors(params, error):
    with pytest.raises(CheckError, match=error):
        run("schema", params, tables(claims()))


# --- pattern ------------------------------------------------------------------------------

def test_pattern_search_reports_first_match_with_column():
    tabs = tables(claims(("summary", "x", 23, "It has 1 seasons and 1 episodes.", {"column": 5}),
                         ("summary", "x", 24, "It has 11 seasons.", {"column": 1})))
    params = {"fields": ["summary"], "patterns": [
        {"regex": r"\b1\s+(?:seasons|episodes)\b", "label": "a plural after one"}]}
    [hit] = run("pattern", params, tabs)
    assert lines(hit) == [(23, "1 seasons")]
    assert hit.evidence[0].column == 5 + len("It has ")
    assert hit.variables == {"match": "1 seasons", "label": "a plural after one", "field": "summary"}


def test_pattern_whole_value_case_and_exclude():
    tabs = tables(claims(("synopsis", "x", 2, "  Undefined "), ("synopsis", "x", 3, "An undefined threat"),
                         ("synopsis", "x", 4, "UNDEFINED")))
    whole = {"fields": ["synopsis"], "whole": True, "patterns": [{"regex": "undefined"}]}
    assert [lines(h) for h in run("pattern", whole, tabs)] == [[(2, "Undefined")], [(4, "UNDEFINED")]]
    assert run("pattern", {**whole, "ignore_case": False}, tabs) == []
    assert [lines(h) for h in run("pattern", {**whole, "exclude": "^UNDEF"}, tabs)] == [
        [(2, "Undefined")]]
    # A label-less pattern is named "pattern".
    assert run("pattern", whole, tabs)[0].variables["label"] == "pattern"


@pytest.mark.parametrize("params,error", [
    ({"fields": ["x"], "patterns": [{"regex": "(?P<"}]}, "invalid regex"),
    ({"fields": ["x"], "patterns": ["just a string"]}, "must be a mapping {regex, label}"),
    ({"fields": ["x"], "patterns": [{"regex": "a", "colour": "red"}]}, "must be a mapping"),
    ({"fields": ["x"], "patterns": [{"regex": "a"}], "exclude": "[z-a]"}, r"invalid regex '\[z-a\]'"),
    # A YAML list or number where the regex belongs was an internal error (TypeError).
    ({"fields": ["x"], "patterns": [{"regex": ["a", "b"]}]}, r"a regex must be text, not list \['a', 'b'\]"),
    ({"fields": ["x"], "patterns": [{"regex": 7}]}, "a regex must be text, not int 7"),
    ({"patterns": [{"regex": "a"}]}, "needs 'fields'"),
    ({"fields": ["x"], "patterns": [{"regex": "a"}], "whole": "true"}, "'whole' must be bool"),
])
def test_pattern_parameter_errors(params, error):
    with pytest.raises(CheckError, match=error):
        run("pattern", params, tables(claims()))


def test_pattern_per_value_and_pattern_fields():
    tabs = tables(claims(("cast", "x", 2, "Guy , \u00a0Danny", {"column": 10}),
                         ("description", "x", 3, "Hikada Sana\u00a0returns ,", {"column": 1})))
    params = {"fields": ["cast", "description"], "per_value": True, "patterns": [
        {"regex": "\u00a0", "label": "a non-breaking space", "fields": ["cast"]},
        {"regex": " (?=,)", "label": "a space before a comma"}]}
    hits = run("pattern", params, tabs)
    assert [(lines(h), h.variables["label"]) for h in hits] == [
        ([(2, " "), (2, "\u00a0")], "a space before a comma and a non-breaking space"),
        ([(3, " ")], "a space before a comma")]
    assert [e.column for e in hits[0].evidence] == [13, 16]
    with pytest.raises(CheckError, match="names fields the check does not search: title"):
        run("pattern", {"fields": ["cast"], "patterns": [{"regex": "a", "fields": ["title"]}]}, tabs)


# --- encoding -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,match,label,repaired", [
    ("Pok\u00c3\u00a9mon: Indigo League", "\u00c3\u00a9", "UTF-8 read as Windows-1252", "Pok\u00e9mon"),
    ("I\u00e2\u20ac\u2122m Sorry", "\u00e2\u20ac\u2122", "UTF-8 read as Windows-1252", "I\u2019m"),
    ("Opera\u00c3\u00a7\u00c3\u00b5es Especiais", "\u00c3\u00a7\u00c3\u00b5", "UTF-8 read as Windows-1252",
     "Opera\u00e7\u00f5es"),
    ("\u0421\u0403\u0421\u201a\u0421\u0402\u0420\u00b0\u0420\u0405\u0420\u00b0", None, "UTF-8 read as Windows-1251", None),
])
def test_encoding_mojibake_named_and_repaired(text, match, label, repaired):
    [hit] = run("encoding", {"fields": ["title"]}, tables(claims(("title", text, 4, text, {"column": 3}))))
    assert hit.variables["label"] == label
    if match is not None:
        assert lines(hit) == [(4, match)]
        assert hit.evidence[0].column == 3 + text.index(match)
        assert hit.variables["repaired"] == repaired


@pytest.mark.parametrize("text", [
    "Pok\u00e9mon", "na\u00efve caf\u00e9, Se\u00f1or", "\u7fa9\u98a8\u5802\u3005!! \u5175\u7d9a\u3068\u6176\u6b21",
    "\u041a\u0438\u043d\u043e", "What If?", "1\u00bd hours", "L\u2019\u00c2ge d\u2019Or", "\u00c9douard \u00e0 Paris",
])
def test_encoding_near_misses_real_accents_and_scripts(text):
    assert run("encoding", {"fields": ["title"]}, tables(claims(("title", text, 4)))) == []


# --- sequence -----------------------------------------------------------------------------

def listed(*episodes: tuple):
    """Episodes as (season, number, air_date, special)."""
    def build(b: Builder):
        lid = b.listing("Harbour Lights", line=1)
        for index, (season, number, air_date, special) in enumerate(episodes):
            line = 10 + 4 * index
            b.episode(lid, season=season, number=number, title=f"Title {index}",
                      air_date=air_date, synopsis=None, line=line, special=special)
            if number is not None:
                b.claim(lid, "episode_number", number, source="episode", line=line, column=1,
                        text=str(number), episode=index)
            if air_date:
                b.claim(lid, "air_date", air_date, source="episode", line=line + 1, column=1,
                        text=air_date, episode=index)
    return build


def test_sequence_numbers_repeats_and_gaps_per_season():
    tabs = tables(listed((1, 1, None, False), (1, 2, None, False), (1, 2, None, False),
                         (1, 5, None, False), (2, 1, None, False), (2, 2, None, False),
                         (None, 3, None, False), (None, 4, None, False)))
    details = [h.variables["details"] for h in run("sequence", {"order": "numbers"}, tabs)]
    assert details == ["season 1 lists episode 2 2 times",
                       "season 1 skips episode 3-4 (lists 2, then 5)"]


def test_sequence_numbers_partial_lists_and_specials():
    tabs = tables(listed((1, 5, None, False), (1, 6, None, False), (1, 0, None, True),
                         (1, 9, None, True), (1, None, None, False), (1, 7, None, False)))
    assert run("sequence", {"order": "numbers"}, tabs) == []


def test_sequence_dates_across_seasons():
    tabs = tables(listed((2, 1, "2026-04-05", False), (1, 2, "2025-03-10", False),
                         (1, 1, "2025-03-03", False), (2, 2, "2026-03-01", False),
                         (2, 3, None, False)))
    [hit] = run("sequence", {"order": "dates"}, tabs)
    assert hit.variables["details"] == ("season 2 episode 2 aired 2026-03-01, before season 2 "
                                        "episode 1 (2026-04-05)")
    assert lines(hit) == [(11, "2026-04-05"), (23, "2026-03-01")]


def test_sequence_dates_season_boundary():
    tabs = tables(listed((1, 1, "2025-03-03", False), (1, 2, "2025-03-10", False),
                         (2, 1, "2025-03-09", False)))
    [hit] = run("sequence", {"order": "dates"}, tabs)
    assert hit.variables["details"].startswith("season 2 episode 1 aired 2025-03-09, before "
                                               "season 1 episode 2")


def test_sequence_order_is_required_and_closed():
    with pytest.raises(CheckError, match="needs 'order'"):
        run("sequence", {}, tables(listed()))
    with pytest.raises(CheckError, match="'order' must be one of numbers, dates"):
        run("sequence", {"order": "titles"}, tables(listed()))


# --- relevance ----------------------------------------------------------------------------

CONTEXT = ("Harbour Lights follows harbourmaster Nell Tarrant in the Cornish fishing port of "
           "Porthmellon, where smugglers, storms, lifeboat rescues and village politics test "
           "her family, her brother Daniel and the trawler Morwenna.")
ON_TOPIC = "Nell Tarrant and Daniel chase smugglers across Porthmellon harbour in a storm."
OFF_TOPIC = ("China stuns America by landing advanced rovers and robotic landers on Mars in "
             "search of extraterrestrial life beneath the Martian ice.")


def relevance_listing(*synopses: str, context: str = CONTEXT):
    def build(b: Builder):
        lid = b.listing("Harbour Lights", line=1)
        b.claim(lid, "description", context, source="description", line=3, column=1, text=context)
        for index, synopsis in enumerate(synopses):
            b.episode(lid, season=1, number=index + 1, title=f"T{index}", air_date=None,
                      synopsis=synopsis, line=10 + 3 * index)
            b.claim(lid, "synopsis", synopsis, source="episode", line=11 + 3 * index, column=1,
                    text=synopsis, episode=index)
    return build


def test_relevance_reports_off_topic_synopsis():
    tabs = tables(relevance_listing(ON_TOPIC, OFF_TOPIC))
    [hit] = run("relevance", {"min_context_terms": 10}, tabs)
    assert lines(hit) == [(14, OFF_TOPIC)]
    assert hit.variables["episodes"] == "2"
    assert hit.variables["unknown_names"] == "America, China, Mars, Martian"


def test_relevance_too_little_context_or_text_is_not_judged():
    tabs = tables(relevance_listing(ON_TOPIC, OFF_TOPIC))
    assert run("relevance", {}, tabs) == []     # default: 40 context terms, CONTEXT has fewer
    assert run("relevance", {"min_context_terms": 10, "min_terms": 30}, tabs) == []


def test_relevance_recurring_names_are_known():
    guest = "Kit Pengelly and Father Amos row out to the wreck off Porthmellon."
    again = "Father Amos hides Kit Pengelly from the customs men in the chapel."
    tabs = tables(relevance_listing(ON_TOPIC, guest, again))
    assert run("relevance", {"min_context_terms": 10, "min_terms": 4}, tabs) == []


# --- reported -----------------------------------------------------------------------------

def test_reported_emits_only_its_rules_problems():
    def build(b: Builder):
        b.problem("LA001", "feed1.json: not valid JSON", line=3, column=7, text="{")
        b.problem("LA602", "votes 'many' is not a number", line=4, column=2, text="many",
                  field_name="votes", value="many")
    tabs = tables(build)
    [hit] = run("reported", {}, tabs, rule_id="LA602")
    assert hit.variables == {"problem": "votes 'many' is not a number"}
    assert [(e.line, e.column, e.text, e.field, e.value) for e in hit.evidence] == [
        (4, 2, "many", "votes", "many")]
    assert [h.variables["problem"] for h in run("reported", {}, tabs, rule_id="LA001")] == [
        "feed1.json: not valid JSON"]
    assert run("reported", {}, tabs, rule_id="LA101") == []


def test_every_kind_is_tested_here():
    assert set(CHECKS) == {"consistency", "duplicate", "conditional", "range", "schema",
                           "pattern", "sequence", "relevance", "reported", "encoding"}


# --- rule files: loading errors -----------------------------------------------------------

GOOD_RULE = """
  - id: XY901
    name: stale-footer
    severity: warning
    summary: A test rule.
    rationale: Tests need one.
    example: none
    message: "{field}: {details}"
    parameters:
      slack: 2
    check:
      kind: consistency
      field: episode_count
      tolerance: $slack
"""


def rule_dir(tmp_path: Path, body: str, name: str = "extra.yaml") -> Path:
    directory = tmp_path / "rules"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text("rules:" + body, encoding="utf-8")
    return directory


def broken(tmp_path: Path, old: str, new: str) -> str:
    assert old in GOOD_RULE
    directory = rule_dir(tmp_path, GOOD_RULE.replace(old, new))
    with pytest.raises(RuleError) as caught:
        load_rules([directory])
    return str(caught.value)


def test_good_rule_file_loads(tmp_path):
    rules = load_rules([rule_dir(tmp_path, GOOD_RULE)])
    [rule] = [r for r in rules if r.id == "XY901"]
    assert rule.parameters == {"slack": 2}
    assert rule.resolved(rule.checks[0])["tolerance"] == 2
    assert rule.resolved(rule.checks[0], {"slack": 5})["tolerance"] == 5


@pytest.mark.parametrize("old,new,what", [
    ("tolerance: $slack", "tolerance: $slak", "'$slak' names no parameter of rule XY901"),
    ("tolerance: $slack", "tolerence: 2", "check kind 'consistency' has no parameter 'tolerence'"),
    ("tolerance: $slack", "tolerance: lots", "'tolerance' must be int or float, not str 'lots'"),
    ("slack: 2", "slack: two", "'tolerance' must be int or float, not str 'two'"),
    ("tolerance: $slack", "compare: fuzzy", "'compare' must be one of number, date, text"),
    ("field: episode_count", "tolerance: 1", "needs 'field'"),
    ("kind: consistency", "kind: similarity", "unknown check kind 'similarity'"),
    ('message: "{field}: {details}"', 'message: "{field}: {count}"',
     "message uses count; a consistency check provides details, field, values"),
    ('message: "{field}: {details}"', 'message: "{field.name}"', "must be a plain name"),
    ("severity: warning", "severity: fatal", "severity must be one of error, warning, info"),
    ("name: stale-footer", "name: Stale_Footer", "must be kebab-case"),
    ("id: XY901", "id: 901", "id must look like LA123"),
    ("summary: A test rule.", "sumary: A test rule.", "unknown key 'sumary'"),
    ("rationale: Tests need one.", "", "missing rationale"),
    ("    check:\n      kind: consistency", "    checks: []\n    check_:\n      kind: consistency",
     "unknown key 'check_'"),
])
def test_rule_file_errors_name_file_rule_and_what(tmp_path, old, new, what):
    message = broken(tmp_path, old, new)
    assert str(tmp_path / "rules" / "extra.yaml") in message
    assert "rule XY901" in message or "rule 901" in message
    assert what in message


def test_rule_file_errors_for_pattern_and_schema_regexes(tmp_path):
    body = GOOD_RULE.replace("""    check:
      kind: consistency
      field: episode_count
      tolerance: $slack""", """    check:
      kind: pattern
      fields: [title]
      patterns:
        - {regex: '(unclosed', label: broken}""").replace("{field}: {details}", "{match}")
    with pytest.raises(RuleError, match=r"extra\.yaml: rule XY901: invalid regex '\(unclosed'"):
        load_rules([rule_dir(tmp_path, body)])


@pytest.mark.parametrize("text,what", [
    ("rules: [", "not valid YAML at line"),
    ("title: no rules here", "a rule file must be a mapping with a 'rules' list"),
    ("rules:\n  - just a string", "each rule must be a mapping"),
])
def test_unusable_rule_files(tmp_path, text, what):
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "bad.yml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match=what) as caught:
        load_rules([directory])
    assert str(directory / "bad.yml") in str(caught.value)


def test_rule_ids_and_names_are_unique_across_directories(tmp_path):
    clash = GOOD_RULE.replace("id: XY901", "id: LA101")
    with pytest.raises(RuleError, match="rule LA101 is already defined in .*LA1-structure.yaml"):
        load_rules([rule_dir(tmp_path / "a", clash)])
    same_name = GOOD_RULE.replace("name: stale-footer", "name: episode-count-conflict")
    with pytest.raises(RuleError, match="rule name episode-count-conflict is already used by LA101"):
        load_rules([rule_dir(tmp_path / "b", same_name)])


def test_missing_rule_directory(tmp_path):
    with pytest.raises(RuleError, match="rule directory not found"):
        load_rules([tmp_path / "nowhere"])


def test_rule_files_never_execute_code(tmp_path):
    body = GOOD_RULE.replace("summary: A test rule.", "summary: !!python/object/apply:os.system ['true']")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rules([rule_dir(tmp_path, body)])


# --- the engine: parameters, overrides and message templates -------------------------------

def counted(*rows: tuple):
    return tables(claims(*rows))


def engine_rules(tmp_path: Path, body: str = GOOD_RULE):
    return select_rules(load_rules([rule_dir(tmp_path, body)]), ["XY901"], None)


def test_parameter_reference_and_override(tmp_path):
    rules = engine_rules(tmp_path)
    tabs = counted(("episode_count", 8, 9, "eight-episode series", {"source": "description"}),
                   ("episode_count", 5, 23, "5 episodes", {"source": "summary"}))
    [finding] = run_rules(rules, tabs, as_of=AS_OF)             # 3 apart, slack 2
    assert (finding.rule, finding.name, finding.severity) == ("XY901", "stale-footer", Severity.WARNING)
    assert finding.message == ("episode_count: the description says \u201ceight-episode "
                               "series\u201d (line 9); the summary sentence says \u201c5 "
                               "episodes\u201d (line 23)")
    assert run_rules(rules, tabs, as_of=AS_OF, settings={"XY901": {"slack": 3}}) == []
    [error] = run_rules(rules, tabs, as_of=AS_OF, settings={"XY901": {"severity": "error"}})
    assert error.severity is Severity.ERROR


def test_override_of_wrong_type_is_a_check_error(tmp_path):
    rules = engine_rules(tmp_path)
    with pytest.raises(CheckError, match="'tolerance' must be int or float, not str 'lots'"):
        run_rules(rules, counted(), as_of=AS_OF, settings={"XY901": {"slack": "lots"}})


def test_check_message_and_severity_override_the_rule(tmp_path):
    body = GOOD_RULE.replace("""      tolerance: $slack""", """      tolerance: $slack
      severity: info
      message: "Counts of {field}: {values}\"""")
    [finding] = run_rules(engine_rules(tmp_path, body),
                          counted(("episode_count", 8, 9), ("episode_count", 4, 23)), as_of=AS_OF)
    assert finding.message == "Counts of episode_count: 8, 4"
    assert finding.severity is Severity.INFO


def test_stale_after_days_setting_on_the_builtin_rule():
    """LA301 with settings={"LA301": {"stale_after_days": 10}}: a month-old episode is stale."""
    tabs = counted(RUNNING, ("last_air_date", "2026-10-24", 40, "October 24, 2026"))
    la301 = select_rules(load_rules(), ["LA301"], None)
    assert run_rules(la301, tabs, as_of=AS_OF) == []
    [finding] = run_rules(la301, tabs, as_of=AS_OF, settings={"LA301": {"stale_after_days": 10}})
    assert finding.severity is Severity.ERROR
    assert [(e.line, e.text) for e in finding.evidence] == [(23, "is currently running"),
                                                            (40, "October 24, 2026")]
    assert finding.message == (
        "Status contradiction: the summary sentence says \u201cis currently running\u201d "
        "(line 23), but the record gives last air date \u201cOctober 24, 2026\u201d (line 40) "
        "(as of 2026-11-24)")
    assert run_rules(la301, tabs, as_of=dt.date(2026, 11, 2),
                     settings={"LA301": {"stale_after_days": 10}}) == []


def test_findings_are_deduplicated_and_sorted():
    """LA203 has two checks that find the same pair of pages; it is reported once."""
    def build(b: Builder):
        b.listing("Dune", line=9, key="dune|2021", kind="Movie", year=2021)
        b.listing("Dune", line=2, key="dune|2021", kind="Movie", year=2021)
        b.listing("Alien", line=5, key="alien|1979", kind="Movie", year=1979)
        b.listing("Alien", line=6, key="alien|1979", kind="Movie", year=1979)
    findings = run_rules(select_rules(load_rules(), ["LA203"], None), tables(build), as_of=AS_OF)
    assert [(f.line, f.message.split("\u201d")[0]) for f in findings] == [
        (2, "\u201cDune"), (5, "\u201cAlien")]
