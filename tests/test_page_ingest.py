"""Reading listing pages: every variant real scraped pages come in (issue 2, point 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.ingest import Source, read_source
from audit.ingest.dates import parse_date
from audit.tables import build_tables
from conftest import FIXTURES, SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def ingest(data: bytes, name: str = "page.txt"):
    result = read_source(Source(name, None), data)
    return result, build_tables([result])


def claims_of(tables, field: str) -> list[tuple]:
    rows = tables.claims[tables.claims["field"] == field]
    return list(zip(rows["source"], rows["value"], rows["line"], rows["text"]))


def test_seed_claims_with_provenance():
    _, tables = ingest(SEED.read_bytes())
    assert claims_of(tables, "episode_count") == [
        ("description", "8", 9, "eight-episode series"),
        ("summary", "4", 23, "4 episodes"),
        ("listed", "4", 29, "Episode 4"),
    ]
    assert claims_of(tables, "season_count") == [("header", "1", 6, "1 Season"),
                                                 ("summary", "1", 23, "1 seasons")]
    assert [(s, v) for s, v, *_ in claims_of(tables, "status")] == [("description", "ended"),
                                                                    ("summary", "running")]
    assert [(s, v, n) for s, v, n, _ in claims_of(tables, "rating")] == [
        ("header", "6.7", 7), ("footer", "6.7", 51)]
    assert [(s, v) for s, v, *_ in claims_of(tables, "votes")] == [("header", "351"), ("footer", "351")]
    assert [(s, v) for s, v, *_ in claims_of(tables, "premiere_date")] == [
        ("summary", "2007-09-23"), ("footer", "2007-09-23")]
    episodes = tables.episodes
    assert episodes["number"].tolist() == [4, 3, 2, 1]  # newest first, as on the page
    assert episodes["line"].tolist() == [29, 33, 37, 41]
    assert (episodes["air_date"] == dt.datetime(2007, 9, 23)).all()


def test_numbers_that_do_not_qualify_episodes_are_not_counts():
    _, tables = ingest(SEED.read_bytes())
    texts = [t for *_, t in claims_of(tables, "episode_count")]
    assert "four crew members" not in " ".join(texts)
    assert not any("two" in t for t in texts)


@pytest.mark.parametrize("encode", [
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),
    lambda t: t.replace("\u00a0", " ").replace("\u2022", "*").encode("cp1252"),
    lambda t: t.replace("\n\n", "\n\n\n\n").replace("\n", "\n  \n").encode("utf-8"),
], ids=["crlf", "utf8-bom", "utf16", "cp1252", "extra-blank-lines"])
def test_encodings_and_layout_variants_read_the_same_facts(encode):
    _, tables = ingest(encode(SEED_TEXT))
    assert [v for _, v, *_ in claims_of(tables, "episode_count")] == ["8", "4", "4"]
    assert len(tables.episodes) == 4
    assert tables.listings["title"].tolist() == ["Race to Mars"]


def test_crlf_keeps_line_numbers():
    _, tables = ingest(SEED_TEXT.replace("\n", "\r\n").encode())
    assert [line for *_, line, _ in claims_of(tables, "episode_count")][:2] == [9, 23]


def test_cp1252_curly_quotes_decode():
    page = "Night Shift\n\n  \u2022 2015\n\nThe show\u2019s \u201cnight\u201d crew.\n".encode("cp1252")
    _, tables = ingest(page)
    assert "show\u2019s \u201cnight\u201d" in claims_of(tables, "description")[0][1]


@pytest.mark.parametrize("text,iso", [
    ("September 23, 2007", "2007-09-23"), ("23 September 2007", "2007-09-23"),
    ("2007-09-23", "2007-09-23"), ("Sept. 23, 2007", "2007-09-23"), ("Sep 23 2007", "2007-09-23"),
    ("23rd September 2007", "2007-09-23"), ("February 30, 2007", None), ("09/23/2007", None),
    ("Episode 4", None),
])
def test_date_spellings(text, iso):
    assert parse_date(text) == iso


MULTI_SEASON = """The Ward

  \u2022 2021
  \u2022 2 Seasons

The Ward follows the night staff of a Glasgow hospital.

Seasons
Season 2
Episode 2
2. Visiting Hours
2022-03-10
Season 1
Episode 1
1. Admissions
Sept. 2, 2021
Episode 2
2. Rounds
9 September 2021
Mairi covers a double shift.
"""


def test_multi_season_pages_and_episodes_without_synopsis():
    _, tables = ingest(MULTI_SEASON.encode())
    episodes = tables.episodes
    assert list(zip(episodes["season"], episodes["number"])) == [(2, 2), (1, 1), (1, 2)]
    assert episodes["synopsis"].isna().tolist() == [True, True, False]
    assert [str(d.date()) for d in episodes["air_date"]] == ["2022-03-10", "2021-09-02", "2021-09-09"]
    listed = tables.claims[tables.claims["source"] == "listed"]
    counts = dict(zip(listed["field"].astype(str) + listed["scope"].astype(str), listed["value"]))
    assert counts["episode_count"] == "3" and counts["season_count"] == "2"
    assert counts["season_episode_countseason 1"] == "2"
    assert counts["first_air_date"] == "2021-09-02" and counts["last_air_date"] == "2022-03-10"


def test_every_table_has_exactly_its_schemas_types_once_listed_claims_are_joined():
    # build_tables validates the derived (listed) claims alone and joins them to the
    # validated claims: the join must keep every column's type, categories included.
    from audit import schemas

    for text in (MULTI_SEASON.encode(), SEED.read_bytes()):
        _, tables = ingest(text)
        assert (tables.claims["source"] == "listed").any()
        for frame, schema in ((tables.listings, schemas.LISTINGS), (tables.episodes, schemas.EPISODES),
                              (tables.claims, schemas.CLAIMS)):
            again = schema.validate(frame.copy())
            assert again.dtypes.to_dict() == frame.dtypes.to_dict(), schema.name


def test_a_page_without_an_episode_list_states_no_listed_count():
    page = "Quiet Hours\n\n  \u2022 2020\n  \u2022 3 Seasons\n\nA twelve-episode drama about a night bus.\n"
    _, tables = ingest(page.encode())
    assert tables.episodes.empty
    assert "listed" not in set(tables.claims["source"])
    assert claims_of(tables, "episode_count")[0][1] == "12"


def test_truncated_page_parses_what_is_there():
    cut = SEED_TEXT[: SEED_TEXT.index("Episode 2\n2. Episode 2")]
    result, tables = ingest(cut.encode())
    assert not result.problems
    assert tables.episodes["number"].tolist() == [4, 3]


@pytest.mark.parametrize("data,message", [
    (b"", "empty"), (b"   \n\n", "empty"), (bytes(range(256)) * 8, "binary"),
])
def test_unreadable_pages_are_la001(data, message):
    result, _ = ingest(data, "bad.txt")
    assert result.skipped_reason and message in result.skipped_reason
    assert [p["rule"] for p in result.problems] == ["LA001"]
    assert result.problems[0]["message"].startswith("bad.txt:")


def test_clean_fixture_pages_parse_fully():
    _, tables = ingest((FIXTURES / "pages" / "harbour-lights.txt").read_bytes())
    assert tables.episodes["season"].tolist() == [2, 2, 2, 1, 1, 1]
    assert claims_of(tables, "status")[0][1] == "running"
