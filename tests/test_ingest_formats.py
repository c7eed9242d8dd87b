"""Every input format read from small hand-written fixtures (fixtures/formats/), end to end
through the CLI: which findings each yields, with their lines and columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.cli import main
from audit.ingest import ADAPTERS, Source, detect, read_source
from audit.ingest.prose import extract

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ROOT / "fixtures" / "formats"
AS_OF = "2026-11-24"


def run(capsys, *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["check", *map(str, args), "--format", "json", "--as-of", AS_OF, "--fail-on", "never"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def found(report: dict) -> list[tuple]:
    return [(f["rule"], f["severity"], f["line"], f["column"]) for f in report["findings"]]


def rules(report: dict) -> list[str]:
    return sorted(f["rule"] for f in report["findings"])


def test_canonical_json_clean(capsys):
    code, report = run(capsys, FORMATS / "harbour-lights.json")
    assert code == 0 and report["findings"] == []
    assert report["files"][0]["format"] == "json"
    assert report["summary"]["episodes"] == 3


def test_schema_violations_carry_pointer_line_and_column(capsys):
    _, report = run(capsys, FORMATS / "broken-schema.json")
    messages = {f["message"]: (f["rule"], f["line"], f["column"]) for f in report["findings"]}
    assert messages["/0/year: '2015' is not of type 'integer'"] == ("LA602", 2, 70)
    assert messages["/1/premiere_date: 'March 2011' does not match '^\\\\d{4}(-\\\\d{2}-\\\\d{2})?$'"] == ("LA602", 4, 68)
    # The missing title is reported once, by the listings check, at the record's line.
    assert [(f["rule"], f["line"]) for f in report["findings"] if "title" in f["message"]] == [("LA601", 4)]


def test_jsonl_partial_parse_and_duplicates(capsys):
    _, report = run(capsys, FORMATS / "catalogue.jsonl")
    assert report["summary"]["listings"] == 3
    assert ("LA001", "error", 3, 71) in found(report)
    (dup,) = [f for f in report["findings"] if f["rule"] == "LA203"]
    assert [e["line"] for e in dup["evidence"]] == [1, 2]
    (seasons,) = [f for f in report["findings"] if f["rule"] == "LA102"]
    assert [e["text"] for e in seasons["evidence"]] == ["2", "three seasons"]


def test_malformed_json_reports_line_and_column(capsys):
    code, report = run(capsys, FORMATS / "malformed.json")
    (finding,) = report["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("LA001", 5, 3)
    assert "Expecting ',' delimiter" in finding["message"]
    assert report["summary"]["skipped"] == 1


def test_tvmaze_specials_do_not_count(capsys):
    _, report = run(capsys, FORMATS / "tvmaze-show.json")
    assert report["findings"] == []  # "three-part" = 3 regular episodes; the special is not counted
    assert report["files"][0]["format"] == "tvmaze" and report["summary"]["episodes"] == 4


def test_tmdb_ended_in_production(capsys):
    _, report = run(capsys, FORMATS / "tmdb-show.json")
    assert rules(report) == ["LA301"]
    texts = [e["text"] for e in report["findings"][0]["evidence"]]
    assert "in_production: true" in texts and "Ended" in texts and "2014-05-30" in texts


def test_tmdb_season_counts_and_specials(tmp_path, capsys):
    record = json.loads((FORMATS / "tmdb-show.json").read_text())
    record.update(status="Ended", in_production=False, number_of_episodes=23)
    path = tmp_path / "show.json"
    path.write_text(json.dumps(record, indent=2))
    _, report = run(capsys, path)
    (la101,) = [f for f in report["findings"] if f["rule"] == "LA101"]
    # 23 would count the 3 specials of season 0; the regular seasons hold 10 + 10.
    assert [e["value"] for e in la101["evidence"]] == [23, 20]


def test_netflix_shape_csv(capsys):
    _, report = run(capsys, FORMATS / "catalogue.csv")
    assert found(report) == [
        ("LA505", "info", 1, 1), ("LA203", "warning", 2, 1), ("LA505", "info", 3, 22), ("LA505", "info", 4, 43),
        ("LA506", "warning", 4, 12), ("LA507", "info", 4, 39), ("LA601", "error", 5, 80),
        ("LA602", "error", 5, 73), ("LA601", "error", 6, 51), ("LA603", "error", 7, 4),
        ("LA602", "error", 8, 1)]
    la602 = [f for f in report["findings"] if f["rule"] == "LA602"][0]
    assert "looks like a duration" in la602["message"]


@pytest.mark.parametrize("mapping", ["mapping.yaml", "mapping.toml"])
def test_mapping_reads_other_csvs(capsys, mapping):
    _, report = run(capsys, FORMATS / "mapped-titles.csv", "--mapping", FORMATS / mapping)
    assert report["summary"]["listings"] == 2
    assert report["findings"] == []


def test_episodes_csv_joins_its_listing(capsys):
    _, report = run(capsys, FORMATS / "mapped-titles.csv", FORMATS / "mapped-episodes.csv",
                    "--mapping", FORMATS / "mapping.yaml")
    assert report["summary"]["listings"] == 2 and report["summary"]["episodes"] == 3
    assert rules(report) == ["LA101", "LA102", "LA103", "LA202"]
    (la101,) = [f for f in report["findings"] if f["rule"] == "LA101"]
    assert {e["path"] for e in la101["evidence"]} == {
        str(FORMATS / "mapped-titles.csv"), str(FORMATS / "mapped-episodes.csv")}


def test_bad_mapping_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "m.yaml"
    bad.write_text("listings:\n  columns: {titel: Name}\n")
    assert main(["check", str(FORMATS / "mapped-titles.csv"), "--mapping", str(bad)]) == 2
    assert "unknown field 'titel'" in capsys.readouterr().err


def test_html_jsonld_against_visible_text(capsys):
    _, report = run(capsys, FORMATS / "page-with-jsonld.html")
    (la101,) = report["findings"]
    assert la101["rule"] == "LA101"
    assert [(e["line"], e["source"], e["text"]) for e in la101["evidence"]] == [
        (11, "jsonld", "6"), (24, "description", "four-episode drama"), (26, "listed", "1. The Caravan")]


def test_html_rating_on_five_point_scale_agrees(tmp_path, capsys):
    page = (FORMATS / "page-with-jsonld.html").read_text().replace("8.2 (88)", "4.1 (88)")
    path = tmp_path / "page.html"
    path.write_text(page)
    _, report = run(capsys, path)
    (la402,) = [f for f in report["findings"] if f["rule"] == "LA402"]
    assert [e["value"] for e in la402["evidence"]] == [8.2, 4.1]
    assert "1-5 rating" in la402["evidence"][0]["text"]


def test_html_without_listing_is_la001(capsys):
    _, report = run(capsys, FORMATS / "no-listing.html", FORMATS / "harbour-lights.json")
    assert [f["rule"] for f in report["findings"]] == ["LA001"]
    assert report["summary"]["files"] == 1 and report["summary"]["skipped"] == 1


def test_parquet_listings_and_episodes(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    pq.write_table(pa.table({"id": ["p1", "p2"], "title": ["Dune Sea", "Dune Sea"],
                             "kind": ["series", "series"], "year": [2020, 2020],
                             "episode_count": [3, 3]}), tmp_path / "listings.parquet")
    pq.write_table(pa.table({"listing_id": ["p1", "p1"], "season": [1, 1],
                             "episode_number": [1, 2], "episode_title": ["Sand", "Wind"]}),
                   tmp_path / "episodes.parquet")
    # Row ids name listings within one catalogue: the two files are one through a mapping.
    (tmp_path / "catalogue.yaml").write_text("catalogue: dune\n", encoding="utf-8")
    _, report = run(capsys, tmp_path, "--mapping", tmp_path / "catalogue.yaml")
    assert {f["format"] for f in report["files"]} == {"parquet"}
    assert rules(report) == ["LA101", "LA203"]
    assert {f["listing"]["key"] for f in report["findings"]} == {"dune:p1"}
    (la101,) = [f for f in report["findings"] if f["rule"] == "LA101"]
    assert sorted(e["value"] for e in la101["evidence"]) == [2, 3]


def test_detection_by_content_not_suffix(tmp_path):
    for name, expected in [("harbour-lights.json", "json"), ("tvmaze-show.json", "tvmaze"),
                           ("tmdb-show.json", "tmdb"), ("catalogue.csv", "csv"),
                           ("page-with-jsonld.html", "html")]:
        text = (FORMATS / name).read_text()
        assert detect(text.encode()[:65536], text[:65536], "").FORMAT == expected, name
        assert detect(text.encode()[:65536], text[:65536], ".txt").FORMAT == expected, name
    seed = (ROOT / "fixtures" / "race-to-mars.txt").read_text()
    assert detect(seed.encode(), seed, ".txt").FORMAT == "page"
    assert ADAPTERS[-1].FORMAT == "page"


def test_stdin_is_detected(monkeypatch, capsys):
    data = (FORMATS / "tvmaze-show.json").read_bytes()
    result = read_source(Source("<stdin>", None), data)
    assert result.format == "tvmaze" and len(result.listings) == 1


@pytest.mark.parametrize("text", [
    "Follow the champions through the 2018 season in this series.",
    "Unaired footage from the 1997-98 season.",
    "A nostalgic look at the Four Seasons and their rise.",
    "This revival follows the Gilmore women through four seasons of change.",
    "Extreme weather conditions in three seasons, each with its challenges.",
])
def test_seasons_that_are_no_count(text):
    assert [f for f in extract(text) if f.field == "season_count"] == []


@pytest.mark.parametrize("text,count", [("The show ran for nine seasons.", 9),
                                        ("A drama spanning 3 seasons.", 3),
                                        ("Four seasons of the show are streaming.", 4)])
def test_season_counts_still_read(text, count):
    assert [f.number for f in extract(text) if f.field == "season_count"] == [count]
