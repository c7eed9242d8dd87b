"""Bad input: each file that cannot be read is one clear LA001 finding (or a parse of what
is there), and the rest of the run goes on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import audit.ingest as ingest
from audit.pipeline import audit
from audit.ruleset import load_rules

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
GOOD = FORMATS / "harbour-lights.json"


def _run(*paths):
    return audit([str(p) for p in paths], load_rules(None), as_of=dt.date(2026, 11, 24))


def _la001(run):
    return [f for f in run.findings if f.rule == "LA001"]


def test_malformed_json_and_a_good_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "X",\n  "year": 20x1}\n')
    run = _run(bad, GOOD)
    (finding,) = _la001(run)
    assert (finding.line, finding.column) == (2, 13)  # the "x" of 20x1
    assert len(run.tables.listings) == 1 and len(run.tables.episodes) == 3


def test_ragged_csv_is_read_as_far_as_it_goes(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("title,type,release_year\nOne,Movie,2001\nTwo,Movie\nThree,Movie,2003,extra\n")
    run = _run(path)
    ragged = [(f.rule, f.line) for f in run.findings if "cells but the header" in f.message]
    assert ragged == [("LA602", 3), ("LA602", 4)]
    assert list(run.tables.listings["title"]) == ["One", "Two", "Three"]


def test_unsupported_encoding(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes("Title\n".encode("utf-32-le") + b"\x00\x00\xd8\xff" * 8)
    run = _run(path, GOOD)
    (finding,) = _la001(run)
    assert finding.path == str(path)
    assert [f["status"] for f in run.files] == ["read", "skipped"] or \
        sorted(f["status"] for f in run.files) == ["read", "skipped"]


def test_html_page_without_a_listing():
    run = _run(FORMATS / "no-listing.html", GOOD)
    (finding,) = _la001(run)
    assert "no listing in this HTML page" in finding.message


def test_huge_file_is_skipped_with_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 1024)
    big = tmp_path / "big.csv"
    big.write_text("title,type\n" + "A title,Movie\n" * 200)
    run = _run(big, GOOD)
    (finding,) = _la001(run)
    assert "over the" in finding.message and "limit" in finding.message
    skipped = [f for f in run.files if f["status"] == "skipped"]
    assert skipped[0]["path"] == str(big) and "over the 1 KiB limit" in skipped[0]["reason"]


def test_csv_without_a_title_column(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("a,b,c\n1,2,3\n4,5,6\n")
    (finding,) = _la001(_run(path))
    assert "--mapping" in finding.message


def test_every_input_unreadable_still_reports(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("")
    run = _run(empty)
    assert [f.rule for f in run.findings] == ["LA001"]


def test_text_without_listing_structure_is_no_listing(cli, tmp_path):
    (tmp_path / "hello.txt").write_text("hello world\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Meeting notes\n\nWe talked about the weather.\n",
                                        encoding="utf-8")
    report = cli("check", tmp_path, "--as-of", "2026-11-24", "--format", "json").json()
    assert report["summary"]["listings"] == 0 and report["summary"]["skipped"] == 2
    assert [f["rule"] for f in report["findings"]] == ["LA001", "LA001"]
    assert all("no listing found" in f["message"] for f in report["findings"])


def test_a_minimal_page_with_listing_structure_is_read(cli, tmp_path):
    # Near miss: a title over one header bullet is a listing page.
    (tmp_path / "show.txt").write_text("Harbour Lights\n\n  • 2019\n\nA quiet drama.\n",
                                       encoding="utf-8")
    report = cli("check", tmp_path / "show.txt", "--as-of", "2026-11-24", "--format", "json").json()
    assert report["summary"]["listings"] == 1 and report["summary"]["skipped"] == 0


def test_toml_and_yaml_are_named_not_called_malformed_json(cli, tmp_path):
    (tmp_path / "settings.toml").write_text('[tool]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "feed.yaml").write_text("title: Foo\nyear: 2001\n", encoding="utf-8")
    (tmp_path / "export.json").write_text("title: Foo\nyear: 2001\n", encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"title": "Foo",}', encoding="utf-8")
    report = cli("check", *(tmp_path / n for n in ("settings.toml", "feed.yaml", "export.json",
                                                    "broken.json")),
                 "--as-of", "2026-11-24", "--format", "json").json()
    messages = {f["path"].rsplit("/", 1)[-1]: f["message"] for f in report["findings"]}
    assert "this is a TOML file" in messages["settings.toml"]
    assert "this is a YAML file" in messages["feed.yaml"]
    assert "this is a YAML file" in messages["export.json"]
    assert "malformed JSON" in messages["broken.json"]  # near miss: JSON with a slip is JSON
    assert not any("malformed JSON" in messages[n] for n in ("settings.toml", "feed.yaml",
                                                             "export.json"))
