"""Column roll-ups: a rule failing on most rows of one column is one finding about the column,
and a column-wide problem hides no other finding of the same rule."""

from __future__ import annotations

import json
from pathlib import Path

HEADER = "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description\n"


def _catalogue(tmp_path: Path, rows: int, *, empty_dates: int, mangled_titles: int = 0,
               empty_ratings: int = 0, name: str = "titles.csv") -> Path:
    lines = [HEADER]
    for i in range(1, rows + 1):
        title = f"Feb-{i:02d}" if i <= mangled_titles else f"Show number {i}"
        date = "" if i <= empty_dates else f'"March {1 + i % 27}, 2019"'
        rating = "" if rows - i < empty_ratings else "TV-14"
        lines.append(f"s{i},TV Show,{title},,Some Actor,Kuwait,{date},2018,{rating},1 Season,"
                     f"TV Dramas,Friends number {i} share romance and heartbreak.\n")
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _check(cli, *args) -> dict:
    done = cli("check", *args, "--as-of", "2026-11-24", "--format", "json", "--no-config")
    assert done.code in (0, 1), done.err
    return done.json()


def test_an_empty_column_is_one_finding_with_every_row(cli, tmp_path):
    path = _catalogue(tmp_path, 40, empty_dates=30)
    report = _check(cli, path, "--select", "LA601")
    (finding,) = report["findings"]
    assert finding["scope"] == "column" and finding["field"] == "date_added"
    assert (finding["count"], finding["total"], finding["share"]) == (30, 40, 0.75)
    assert finding["line"] == 2 and finding["listing"] is None
    assert "30 of 40 rows of date_added (75%)" in finding["message"]
    assert len(finding["evidence"]) == 5 and [e["line"] for e in finding["evidence"]] == [2, 3, 4, 5, 6]
    assert [r["line"] for r in finding["rows"]] == list(range(2, 32))
    assert finding["rows"][0]["listing"].endswith("s1")


def test_a_few_rows_stay_findings_of_their_own(cli, tmp_path):
    # 3 of 40 empty: the column mostly passes, so each empty cell is its own finding.
    path = _catalogue(tmp_path, 40, empty_dates=3)
    report = _check(cli, path, "--select", "LA601")
    assert [f.get("scope") for f in report["findings"]] == [None, None, None]
    assert [f["line"] for f in report["findings"]] == [2, 3, 4]


def test_a_column_wide_problem_hides_nothing_on_other_fields(cli, tmp_path):
    # 30 empty dates roll up; 4 empty ratings on other rows of the same rule stay 4 findings.
    path = _catalogue(tmp_path, 40, empty_dates=30, empty_ratings=4)
    report = _check(cli, path, "--select", "LA601")
    column = [f for f in report["findings"] if f.get("scope") == "column"]
    rows = [f for f in report["findings"] if f.get("scope") is None]
    assert [f["field"] for f in column] == ["date_added"]
    assert sorted(f["line"] for f in rows) == [38, 39, 40, 41]


def test_the_threshold_is_a_rule_setting(cli, tmp_path):
    path = _catalogue(tmp_path, 40, empty_dates=30)
    config = tmp_path / "listing-audit.toml"
    config.write_text("[rules.LA601]\nmostly = 0\n", encoding="utf-8")
    done = cli("check", path, "--select", "LA601", "--as-of", "2026-11-24", "--format", "json",
               "--config", config)
    assert len(done.json()["findings"]) == 30  # mostly = 0: never rolled up
    config.write_text("[rules.LA601]\nmostly = 0.2\n", encoding="utf-8")
    done = cli("check", path, "--select", "LA601", "--as-of", "2026-11-24", "--format", "json",
               "--config", config)
    assert len(done.json()["findings"]) == 30  # 25% pass, more than the 20% asked: no roll-up
    config.write_text("[rules.LA601]\nmostly = 2\n", encoding="utf-8")
    done = cli("check", path, "--as-of", "2026-11-24", "--config", config)
    assert done.code == 2 and "mostly" in done.err and "from 0 to 1" in done.err


def test_a_rolled_up_column_keeps_its_baseline_fingerprint_as_its_count_moves(cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    _catalogue(tmp_path, 40, empty_dates=30)
    first = cli("check", tmp_path / "titles.csv", "--select", "LA601", "--as-of", "2026-11-24",
                "--no-config", "--write-baseline", baseline, "--format", "json")
    assert first.code == 0
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert len(entries) == 1 and entries[0]["count"] == 1
    _catalogue(tmp_path, 40, empty_dates=33)  # three more empty cells: the same known problem
    again = cli("check", tmp_path / "titles.csv", "--select", "LA601", "--as-of", "2026-11-24",
                "--no-config", "--baseline", baseline, "--format", "json")
    assert again.code == 0, again.out
    (finding,) = again.json()["findings"]
    assert finding["count"] == 33 and finding["status"] == "baselined"
    assert finding["fingerprint"] == first.json()["findings"][0]["fingerprint"]


def test_every_format_shows_the_count_share_and_examples(cli, tmp_path):
    path = _catalogue(tmp_path, 40, empty_dates=30)
    for fmt in ("terminal", "markdown", "html", "junit", "github", "sarif"):
        done = cli("check", path, "--select", "LA601", "--as-of", "2026-11-24", "--no-config",
                   "--format", fmt)
        assert done.code == 1, done.err
        out = done.out.replace("%25", "%")  # GitHub workflow commands escape %
        assert "30 of 40 rows of date" in out and "(75%)" in out, fmt
        if fmt != "sarif":
            assert "the first 5 shown" in out, fmt
    sarif = cli("check", path, "--select", "LA601", "--as-of", "2026-11-24", "--no-config",
                "--format", "sarif").json()
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["count"] == 30 and result["properties"]["share"] == 0.75
