"""The real data files in ../shared/data, audited as of 2026-11-24 and compared with golden
reports checked by hand (tests/golden/shared-*.json). UPDATE_GOLDEN=1 rewrites the goldens.

Goldens keep the summary, the files and the findings; rule documentation (which changes
when a rule's text is edited) is left out so the goldens change only when results do.
"""

from __future__ import annotations

import collections
import json
import os
import time
from pathlib import Path

import pytest

from audit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
GOLDEN = Path(__file__).parent / "golden"
AS_OF = "2026-11-24"

pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent (bare clone)")]

FILES = {
    "tvmaze": "data/tvmaze/the-fosters.json",
    "tmdb": "data/tmdb/rick-and-morty.json",
    "netflix": "data/netflix/netflix_titles_2019.csv",
}


def _report(capsys, monkeypatch, relative: str, as_of: str = AS_OF) -> dict:
    monkeypatch.chdir(SHARED)  # paths in the report stay relative: data/...
    capsys.readouterr()
    main(["check", relative, "--format", "json", "--as-of", as_of, "--fail-on", "never"])
    return json.loads(capsys.readouterr().out)


def _stable(report: dict) -> dict:
    return {key: report[key] for key in ("as_of", "inputs", "summary", "files", "findings")}


def _counts(report: dict) -> dict[str, int]:
    return dict(sorted(collections.Counter(
        f"{f['rule']} {f['severity']}" for f in report["findings"]).items()))


@pytest.mark.parametrize("name", sorted(FILES))
def test_golden(name, capsys, monkeypatch):
    report = _stable(_report(capsys, monkeypatch, FILES[name]))
    golden = GOLDEN / f"shared-{name}.json"
    text = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_fosters_is_clean(capsys, monkeypatch):
    report = _report(capsys, monkeypatch, FILES["tvmaze"])
    assert report["summary"]["listings"] == 1 and report["summary"]["episodes"] == 104
    assert report["findings"] == []


def test_rick_and_morty_is_clean_as_of_its_snapshot(capsys, monkeypatch):
    # The record is a 2020 snapshot (last episode 2020-05-31, "Returning Series").
    report = _report(capsys, monkeypatch, FILES["tmdb"], as_of="2020-09-08")
    assert report["findings"] == []


def test_rick_and_morty_is_stale_by_2026(capsys, monkeypatch):
    # Six years on, "Returning Series" with the newest episode in 2020 is the LA301 the issue
    # asks for; nothing else is reported (41 episodes, 4 seasons, specials not counted).
    report = _report(capsys, monkeypatch, FILES["tmdb"])
    assert _counts(report) == {"LA301 error": 1}
    texts = [e["text"] for e in report["findings"][0]["evidence"]]
    assert texts == ["in_production: true", "2020-05-31", "Returning Series"]


def test_netflix_findings_are_the_real_defects(capsys, monkeypatch):
    report = _report(capsys, monkeypatch, FILES["netflix"])
    assert report["summary"]["listings"] == 7787
    assert _counts(report) == {
        "LA203 warning": 1, "LA306 warning": 5, "LA505 info": 96, "LA506 warning": 4,
        "LA507 info": 4, "LA601 error": 17}
    findings = report["findings"]
    dup = [f for f in findings if f["rule"] == "LA203" and f["evidence"][0]["text"] == "Consequences"]
    assert [e["line"] for e in dup[0]["evidence"]] == [1487, 1488]
    # "WHAT / IF" and "What If?" (2019) share a folded title but not a description: two shows.
    assert not [f for f in findings if f["rule"] == "LA203" and "What If?" in f["message"]]
    empty = collections.Counter(f["message"] for f in findings if f["rule"] == "LA601")
    assert empty == {"content rating is empty": 7, "date added is empty": 10}
    spaces = collections.Counter((f["evidence"][0]["field"], f["message"])
                                 for f in findings if f["rule"] == "LA505")
    assert spaces == {("date_added", "date added has leading white space"): 88,
                      ("title", "title has trailing white space"): 1,
                      # "\u200bGoli Soda 2" and four more titles; "Seong-joo Kim\u200b, ..."
                      ("title", "title has a zero-width space"): 5,
                      ("cast", "cast has a zero-width space"): 1,
                      ("header", "column name \u201c show_id\u201d has leading white space"): 1}
    assert sorted(f["evidence"][0]["text"] for f in findings if f["rule"] == "LA506") == [
        "15-Aug", "22-Jul", "Feb-09", "Oct-01"]


def test_netflix_audits_in_a_few_seconds(monkeypatch):
    import datetime as dt

    from audit.pipeline import audit
    from audit.ruleset import load_rules

    rules = load_rules(None)
    start = time.perf_counter()
    audit([str(DATA / "netflix" / "netflix_titles_2019.csv")], rules, as_of=dt.date(2026, 11, 24))
    assert time.perf_counter() - start < 30  # generous for busy CI machines; ~4 s here
