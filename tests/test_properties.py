"""Property-based tests: arbitrary text and values in, never an exception out.

The readers (page, JSON, JSONL, CSV), the date and number parsers and the tables take
whatever Hypothesis generates; every report writer renders hostile listing text into a
well-formed report (JSON parses, XML parses, SARIF validates, HTML has no markup from
listing text, the terminal shows no raw control character). Example counts are modest so
the suite stays fast; `benchmarks/fuzz.py` is the long-running search.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from audit.ingest import Source, read_source
from audit.ingest.base import Builder
from audit.ingest.dates import parse_date
from audit.ingest.records import iso_date, number_of
from audit.report import render
from audit.tables import build_tables
from conftest import ROOT
from reportcases import markdown_prose

settings.register_profile("listing-audit", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("listing-audit")

DATA = ROOT / "tests" / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SEED_REPORT = json.loads((DATA / "seed-report.json").read_text(encoding="utf-8"))

# Text that hurts: controls, ANSI, separators, bidi overrides, surrogates, markup, templates.
HOSTILE = st.sampled_from([
    "\x1b[2J", "\x1b]8;;https://evil.example\x07x\x1b]8;;\x07", "\x00", "\x0e", "\x7f", "\x85",
    "\n::error::pwned", "\r\n", "\u2028", "\u202e", "\ufeff", "\ud83c", "\udcff",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "]]>", "&amp;", "{title}",
    "[bold]x[/]", "`", "|", "*", "https://evil.example/", "www.evil.example", "a@evil.example",
    "%0A::error::", "\\", '"',
])
TEXT = st.lists(st.one_of(st.text(max_size=20), HOSTILE), max_size=6).map("".join)


def _read(name: str, data: bytes):
    result = read_source(Source(name, None), data)
    build_tables([result])
    return result


# --- readers ---------------------------------------------------------------------------

@given(st.text(max_size=3000))
def test_page_reader_takes_any_text(text):
    _read("page.txt", text.encode("utf-8", "surrogatepass"))


@given(st.lists(st.one_of(
    st.sampled_from(["Race to Mars", "  \u2022 2007", "  \u2022 4 episodes", "Season 1",
                     "1. Launch", "September 23, 2007", "Episode 2", "(4 episodes)", "9999-12-31",
                     "  \u2022 7.9 (1,204)", "Episodes", "Seasons"]),
    TEXT), max_size=40))
def test_page_reader_takes_page_shaped_lines(lines):
    _read("page.txt", "\n".join(lines).encode("utf-8", "surrogatepass"))


JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2 ** 62), st.floats(),
    st.sampled_from([10 ** 30, -(2 ** 64), "2019", "0001-01-01", "9999-12-31", "", "NaN"]), TEXT)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)
LISTING_KEYS = ["id", "title", "kind", "year", "status", "episode_count", "season_count",
                "rating", "votes", "premiere_date", "description", "episodes", "seasons",
                "genres", "runtime", "summary"]
EPISODE = st.fixed_dictionaries({}, optional={k: JSON_VALUES for k in
                                              ("season", "number", "title", "air_date", "synopsis")})
LISTING = st.fixed_dictionaries({"title": st.one_of(TEXT, JSON_VALUES)}, optional={
    **{k: JSON_VALUES for k in LISTING_KEYS if k not in ("title", "episodes")},
    "episodes": st.lists(EPISODE, max_size=4)})


def _json(value) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


@given(st.one_of(LISTING, st.lists(LISTING, max_size=3), JSON_VALUES))
def test_json_reader_takes_any_document(document):
    _read("feed.json", _json(document))


@given(st.lists(st.one_of(LISTING.map(lambda d: json.dumps(d, allow_nan=True)), TEXT), min_size=2, max_size=6))
def test_jsonl_reader_takes_any_lines(lines):
    result = _read("feed.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"))
    good = sum(1 for line in lines if line.startswith("{"))
    assert len(result.listings) <= max(good, 1)


def _show(tvmaze: bool):
    keys = (["type", "premiered", "ended", "status", "rating", "genres", "summary",
             "_embedded"] if tvmaze else
            ["first_air_date", "number_of_episodes", "number_of_seasons", "seasons",
             "vote_average", "vote_count", "overview", "episode_run_time", "status"])
    base = {"id": 1, "url": "https://www.tvmaze.com/shows/1/x", "name": "X"} if tvmaze else \
        {"id": 1, "name": "X", "first_air_date": "2019-01-01", "number_of_seasons": 1}
    return st.fixed_dictionaries({k: st.just(v) for k, v in base.items()},
                                 optional={k: JSON_VALUES for k in keys if k not in base})


@given(st.one_of(_show(True), _show(False)))
def test_tvmaze_and_tmdb_readers_take_any_values(record):
    _read("show.json", _json(record))


CELL = st.one_of(st.text(max_size=15), st.sampled_from(['"', '""', '"a,b"', "\r", "\n", ",", "NaN",
                                                         "1e400", str(2 ** 64), "0001", "Feb-09"]))


@given(st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=12))
def test_csv_reader_takes_any_cells(rows):
    header = "show_id,type,title,release_year,date_added,description\n"
    text = header + "\n".join(",".join(row) for row in rows)
    _read("catalogue.csv", text.encode("utf-8", "surrogatepass"))


# --- dates and numbers -----------------------------------------------------------------

@given(st.one_of(st.text(max_size=40), st.dates().map(str),
                 st.dates().map(lambda d: d.strftime("%B %d, %Y")), JSON_SCALARS))
def test_dates_are_real_days_or_nothing(value):
    for parsed in (parse_date(value) if isinstance(value, str) else None, iso_date(value)):
        if parsed is not None and len(parsed) == 10:
            dt.date.fromisoformat(parsed)


@given(JSON_SCALARS)
def test_numbers_are_floats_or_nothing(value):
    number = number_of(value)
    assert number is None or isinstance(number, float)


# Values as readers hand them to the tables: every reader decodes its text, so a lone
# surrogate has become U+FFFD (LA504's business) before any table sees it.
DECODED = JSON_SCALARS.map(lambda v: v.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
                           if isinstance(v, str) else v)


@given(st.lists(st.tuples(st.sampled_from(["year", "rating", "episode_count", "air_date",
                                           "premiere_date", "synopsis"]), DECODED), max_size=8),
       st.lists(st.tuples(DECODED, DECODED, DECODED), max_size=4))
def test_tables_take_any_claim_and_episode_values(claims, episodes):
    builder = Builder("x.json", "json")
    listing = builder.listing("X", line=1, year=claims[0][1] if claims else None)
    for field, value in claims:
        builder.claim(listing, field, value, source="field", line=1, column=1, text=str(value)[:40])
    for season, number, air_date in episodes:
        builder.episode(listing, season=season, number=number, title="t", synopsis=None, line=2,
                        air_date=air_date if isinstance(air_date, str) else None)
    tables = build_tables([builder.result()])
    numbers = tables.claims["number"].dropna()
    assert all(math.isfinite(n) and abs(n) < 2 ** 63 for n in numbers)


# --- report writers ------------------------------------------------------------------

def _hostile_report(title: str, message: str, text: str, path: str) -> dict:
    report = copy.deepcopy(SEED_REPORT)
    for finding in report["findings"]:
        finding["listing"]["title"] = title
        finding["message"] = message + finding["message"]
        finding["path"] = path
        for item in finding["evidence"]:
            item["text"] = text
            item["path"] = path
    report["files"][0]["path"] = path
    report["inputs"] = [path]
    return report


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202e\u2028]")


@settings(max_examples=40)
@given(TEXT, TEXT, TEXT, TEXT.map(lambda t: "dir/" + t.replace("/", "_") + ".txt"))
@example("", "", "\x1e:", "dir/.txt")  # found by Hypothesis: a record separator split a line
def test_every_report_is_well_formed_whatever_the_listing_text(title, message, text, path):
    report = _hostile_report(title, message, text, path)
    jsonschema.validate(json.loads(_writable(render(report, "sarif"))), SARIF_SCHEMA)
    json.loads(_writable(render(report, "json")))
    ET.fromstring(_writable(render(report, "junit")).encode("utf-8"))
    terminal = render(report, "terminal")
    assert not _RAW_CONTROL.search(terminal)
    markdown = render(report, "markdown")
    assert not _RAW_CONTROL.search(markdown)
    prose, made = markdown_prose(markdown)
    assert not made
    assert not re.search(r"https?://evil|\bwww\.evil|\w@evil", prose)
    github = render(report, "github")
    assert all(line.startswith(("::", " ")) or not line.startswith(":") for line in github.splitlines())
    assert "\n::error::pwned" not in github
    parser = _Tags()
    parser.feed(_writable(render(report, "html")))
    assert not [tag for tag, _ in parser.tags if tag in ("script", "img") and "evil" in str(_)]
    assert not [attrs for tag, attrs in parser.tags if any(name.startswith("on") for name, _ in attrs)]


def _writable(text: str) -> str:
    """What the CLI writes: every report must survive UTF-8 once lone surrogates are escaped."""
    from audit.report._common import encodable

    out = encodable(text)
    out.encode("utf-8")
    return out


@pytest.mark.parametrize("fmt", ["terminal", "json", "html", "sarif", "junit", "markdown", "github"])
def test_writers_take_a_report_with_no_optional_keys(fmt):
    bare = {"schema_version": 1, "summary": {}, "findings": [
        {"rule": "LA101", "severity": "error", "message": "m", "path": "p"}]}
    assert isinstance(render(bare, fmt), str)
