"""Baselines (issue 5, point 3): fingerprints without line numbers, counts, new, fixed, stale."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, SEED

from audit.baseline import BASELINE_VERSION
from audit.fingerprint import fingerprint, normalise_text

ALL_SEED_RULES = ["LA101", "LA201", "LA301", "LA304", "LA501", "LA501", "LA501", "LA501",
                  "LA502", "LA503"]
NEW_PARAGRAPH = ("The production was filmed in Montreal over a single winter, with most of "
                 "the cast drawn from local theatre.\n\n")


@pytest.fixture
def pages(tmp_path, monkeypatch):
    """A catalogue directory with two copies of the seed page; the working directory is tmp_path."""
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    shutil.copy(SEED, catalogue / "race-to-mars.txt")
    monkeypatch.chdir(tmp_path)
    return catalogue


def page_text() -> str:
    return SEED.read_text(encoding="utf-8")


def insert_paragraph(path: Path) -> None:
    """Insert a paragraph into the description: every finding below moves down two lines."""
    text = path.read_text(encoding="utf-8")
    marker = "The series takes a pseudo-documentary format"
    assert marker in text
    path.write_text(text.replace(marker, NEW_PARAGRAPH + marker, 1), encoding="utf-8")


def add_rating_conflict(path: Path) -> None:
    """A new error on the page: the footer box's rating no longer agrees with the header's."""
    text = path.read_text(encoding="utf-8")
    head, _, tail = text.rpartition("6.7")
    path.write_text(head + "7.6" + tail, encoding="utf-8")


def check(cli, *args):
    return cli("check", *map(str, args), "--as-of", AS_OF)


def statuses(report: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in report["findings"]:
        out.setdefault(finding["status"], []).append(finding["rule"])
    return {status: sorted(rules) for status, rules in out.items()}


# --- the fingerprint -------------------------------------------------------------------------

def test_fingerprint_ignores_lines_columns_path_and_message():
    finding = {"rule": "LA501", "path": "a.txt", "line": 30, "column": 4, "message": "line 30",
               "listing": {"id": "a.txt#1", "key": "race to mars|2007", "title": "Race to Mars"},
               "evidence": [{"path": "a.txt", "line": 30, "column": 4, "text": "Episode  4"}]}
    moved = json.loads(json.dumps(finding))
    moved.update(path="b/a.txt", line=99, column=1, message="line 99")
    moved["listing"]["id"] = "b/a.txt#1"
    moved["evidence"][0].update(path="b/a.txt", line=99, column=1, text="episode 4 ")
    assert fingerprint(finding) == fingerprint(moved)
    assert len(fingerprint(finding)) == 64
    other_rule = {**finding, "rule": "LA502"}
    other_listing = {**finding, "listing": {**finding["listing"], "key": "race to venus|2007"}}
    other_text = json.loads(json.dumps(finding))
    other_text["evidence"][0]["text"] = "Episode 5"
    assert len({fingerprint(f) for f in (finding, other_rule, other_listing, other_text)}) == 4


def test_fingerprint_of_a_finding_about_no_listing_uses_its_path():
    a = {"rule": "LA001", "path": "a.txt", "listing": None, "evidence": []}
    b = {"rule": "LA001", "path": "b.txt", "listing": None, "evidence": []}
    assert fingerprint(a) != fingerprint(b)


def test_normalise_text():
    assert normalise_text("  Ａ\u00a0Mars\n\tSeries ") == "a mars series"
    assert normalise_text(None) == ""


def test_every_finding_carries_its_fingerprint_in_every_run(cli, pages):
    first = check(cli, "catalogue", "--format", "json").json()
    insert_paragraph(pages / "race-to-mars.txt")
    second = check(cli, "catalogue", "--format", "json").json()
    assert [f["line"] for f in first["findings"]] != [f["line"] for f in second["findings"]]
    assert sorted(f["fingerprint"] for f in first["findings"]) == \
        sorted(f["fingerprint"] for f in second["findings"])
    assert all(f["fingerprint"] == fingerprint(f) for f in first["findings"])


# --- writing -----------------------------------------------------------------------------------

def test_write_baseline_records_findings_and_reports_them_baselined(cli, pages):
    result = check(cli, "catalogue", "--write-baseline", "baseline.json")
    assert result.code == 0
    assert "wrote 10 findings (10 entries) to baseline.json" in result.err
    assert "10 baselined; 0 new at or above error fail the run" in result.out
    data = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == BASELINE_VERSION and data["tool"] == "listing-audit"
    assert sorted(e["rule"] for e in data["findings"] for _ in range(e["count"])) == ALL_SEED_RULES
    keys = [(e["listing"], e["rule"], e["fingerprint"]) for e in data["findings"]]
    assert keys == sorted(keys)
    entry = data["findings"][0]
    assert entry["listing"] == "race to mars|2007" and entry["paths"] == ["catalogue/race-to-mars.txt"]
    assert "line" not in json.dumps(data)


def test_baseline_file_is_deterministic_across_runs_and_input_order(cli, pages):
    shutil.copy(SEED, pages / "another.txt")
    other = pages / "another.txt"
    other.write_text(page_text().replace("Race to Mars", "Race to Venus"), encoding="utf-8")
    check(cli, "catalogue/race-to-mars.txt", "catalogue/another.txt", "--write-baseline", "one.json")
    check(cli, "catalogue/another.txt", "catalogue/race-to-mars.txt", "--write-baseline", "two.json")
    check(cli, "catalogue", "--write-baseline", "three.json")
    one = Path("one.json").read_bytes()
    assert one == Path("two.json").read_bytes() == Path("three.json").read_bytes()
    assert one.endswith(b"\n") and b'"version": 1' in one


# --- reading: the round trip -------------------------------------------------------------------

def test_round_trip_all_known_findings_pass(cli, pages):
    check(cli, "catalogue", "--write-baseline", "baseline.json")
    result = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json")
    assert result.code == 0
    report = result.json()
    assert statuses(report) == {"baselined": ALL_SEED_RULES}
    assert report["summary"]["baselined"] == 10 and report["summary"]["failing"] == 0
    assert report["summary"]["findings"] == {"error": 3, "warning": 7, "info": 0}
    assert report["summary"]["active"] == {"error": 0, "warning": 0, "info": 0}
    assert report["baseline"]["stale"] == [] and report["baseline"]["fixed"] == 0


def test_round_trip_survives_reordered_inputs(cli, pages):
    venus = pages / "venus.txt"
    venus.write_text(page_text().replace("Race to Mars", "Race to Venus"), encoding="utf-8")
    check(cli, "catalogue/race-to-mars.txt", "catalogue/venus.txt", "--write-baseline", "baseline.json")
    result = check(cli, "catalogue/venus.txt", "catalogue/race-to-mars.txt", "--baseline",
                   "baseline.json", "--format", "json")
    assert result.code == 0
    assert set(statuses(result.json())) == {"baselined"}
    # moving a page to another directory keeps its findings known: paths are not fingerprinted
    (pages / "archive").mkdir()
    venus.rename(pages / "archive" / "venus.txt")
    moved = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json")
    assert moved.code == 0 and set(statuses(moved.json())) == {"baselined"}


def test_round_trip_survives_lines_inserted_above_the_findings(cli, pages):
    page = pages / "race-to-mars.txt"
    before = check(cli, "catalogue", "--write-baseline", "baseline.json", "--format", "json").json()
    insert_paragraph(page)
    result = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json")
    assert result.code == 0
    after = result.json()
    lines_before = {f["rule"]: f["line"] for f in before["findings"]}
    lines_after = {f["rule"]: f["line"] for f in after["findings"]}
    assert lines_after["LA501"] == lines_before["LA501"] + 2
    assert set(statuses(after)) == {"baselined"} and after["summary"]["stale"] == 0


def test_an_episode_added_at_the_top_of_the_list_keeps_the_count_conflict_known(cli, pages):
    """The listed count's evidence is the first episode's heading; it is no part of the
    fingerprint, so LA101 stays baselined when a newer episode is listed above the others."""
    page = pages / "race-to-mars.txt"
    check(cli, "catalogue", "--write-baseline", "baseline.json")
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Seasons\nEpisode 4\n", "Seasons\nEpisode 5\n5. The Landing\n"
                                 "October 7, 2007\nBoth crews reach orbit around Mars.\n"
                                 "Episode 4\n", 1), encoding="utf-8")
    report = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json").json()
    la101 = [f for f in report["findings"] if f["rule"] == "LA101" and f["path"].endswith("mars.txt")]
    assert [f["status"] for f in la101] == ["baselined"]
    assert "5 are listed" in la101[0]["message"]


def test_a_new_defect_on_a_baselined_page_fails_while_the_old_ones_do_not(cli, pages):
    page = pages / "race-to-mars.txt"
    check(cli, "catalogue", "--write-baseline", "baseline.json")
    insert_paragraph(page)
    add_rating_conflict(page)
    result = check(cli, "catalogue", "--baseline", "baseline.json")
    assert result.code == 1
    assert "10 baselined" in result.out
    assert result.out.rstrip().endswith("1 new at or above error fails the run")
    report = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json").json()
    assert statuses(report) == {"active": ["LA402"], "baselined": ALL_SEED_RULES}
    assert report["summary"]["failing"] == 1
    # the terminal report marks the old ones
    assert result.out.count("(baselined)") == 10


def test_repeats_are_counted(cli, pages):
    """The same defect twice is one entry of count 2; a third copy is new; fewer is stale."""
    page = pages / "race-to-mars.txt"
    original = page_text()
    two = original.replace("Each agency must select", "Lorem ipsum. Each agency must select", 1)
    two = two.replace("As the departure date", "Lorem ipsum. As the departure date", 1)
    page.write_text(two, encoding="utf-8")
    check(cli, "catalogue", "--write-baseline", "baseline.json")
    data = json.loads(Path("baseline.json").read_text())
    (lorem,) = [e for e in data["findings"] if e.get("text") == "Lorem ipsum"]
    assert lorem["count"] == 2
    three = two.replace("Upon arriving at Mars", "Lorem ipsum. Upon arriving at Mars", 1)
    page.write_text(three, encoding="utf-8")
    report = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json",
                   "--fail-on", "warning").json()
    lorems = [f for f in report["findings"] if f["evidence"][0]["text"] == "Lorem ipsum"]
    assert [f["status"] for f in lorems] == ["baselined", "baselined", "active"]
    assert report["summary"]["failing"] == 1
    one = two.replace("Lorem ipsum. As the departure date", "As the departure date", 1)
    page.write_text(one, encoding="utf-8")
    report = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json").json()
    assert report["summary"]["fixed"] == 1 and report["summary"]["stale"] == 1
    (stale,) = report["baseline"]["stale"]
    assert stale["text"] == "Lorem ipsum" and stale["count"] == 2 and stale["missing"] == 1


# --- fixed and stale ---------------------------------------------------------------------------

def fix_one_placeholder(page: Path) -> None:
    page.write_text(page_text().replace("4. Episode 4", "4. The Landing"), encoding="utf-8")


def test_fixed_findings_are_reported_as_stale_entries(cli, pages):
    check(cli, "catalogue", "--write-baseline", "baseline.json")
    fix_one_placeholder(pages / "race-to-mars.txt")
    result = check(cli, "catalogue", "--baseline", "baseline.json")
    assert result.code == 0
    assert "9 baselined; 1 fixed since the baseline (1 stale entry)" in result.out
    report = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json").json()
    (stale,) = report["baseline"]["stale"]
    assert stale["rule"] == "LA501" and stale["text"] == "Episode 4" and stale["missing"] == 1
    assert report["summary"]["fixed"] == 1 and report["summary"]["stale"] == 1


def test_fail_on_stale(cli, pages, tmp_path):
    check(cli, "catalogue", "--write-baseline", "baseline.json")
    fix_one_placeholder(pages / "race-to-mars.txt")
    result = check(cli, "catalogue", "--baseline", "baseline.json", "--fail-on-stale")
    assert result.code == 1
    assert result.out.rstrip().endswith(
        "0 new at or above error and 1 stale entry in the baseline fails the run")
    report = check(cli, "catalogue", "--baseline", "baseline.json", "--fail-on-stale",
                   "--format", "json").json()
    assert report["summary"]["failing"] == 1 and report["summary"]["fail_on_stale"] is True
    # from the config file too, and the flag can switch it off again
    (tmp_path / "listing-audit.toml").write_text(
        'baseline = ".listing-audit-baseline.json"\nfail-on-stale = true\n', encoding="utf-8")
    shutil.copy("baseline.json", tmp_path / ".listing-audit-baseline.json")
    assert check(cli, "catalogue").code == 1
    assert check(cli, "catalogue", "--no-fail-on-stale").code == 0
    # rewriting the baseline shrinks it and the gate passes again
    check(cli, "catalogue", "--write-baseline", ".listing-audit-baseline.json")
    assert check(cli, "catalogue").code == 0


def test_entries_the_run_did_not_look_at_are_not_stale(cli, pages):
    venus = pages / "venus.txt"
    venus.write_text(page_text().replace("Race to Mars", "Race to Venus"), encoding="utf-8")
    check(cli, "catalogue", "--write-baseline", "baseline.json")
    # a run over one file (as pre-commit does) says nothing about the other file's entries
    one = check(cli, "catalogue/race-to-mars.txt", "--baseline", "baseline.json",
                "--fail-on-stale", "--format", "json")
    assert one.code == 0
    assert one.json()["baseline"]["not_checked"] == 10 and one.json()["summary"]["stale"] == 0
    # nor does a run of some rules about the others
    some = check(cli, "catalogue", "--select", "LA1", "--baseline", "baseline.json",
                 "--fail-on-stale", "--format", "json")
    assert some.code == 0 and some.json()["summary"]["stale"] == 0
    # but a page deleted from a directory that was audited is fixed for good
    venus.unlink()
    gone = check(cli, "catalogue", "--baseline", "baseline.json", "--format", "json").json()
    assert gone["summary"]["stale"] == 10 and gone["summary"]["fixed"] == 10


# --- bad baseline files ------------------------------------------------------------------------

@pytest.mark.parametrize("content,problem", [
    (None, "baseline not found (create it with --write-baseline)"),
    ("{not json", "not valid JSON"),
    ('[]', "not a listing-audit baseline"),
    ('{"version": 99, "findings": []}', "baseline version 99 is not supported"),
    ('{"version": 1, "fingerprint_version": 0, "findings": []}', "fingerprint version 0"),
    ('{"version": 1, "findings": [{"rule": "LA101"}]}', "findings[0].fingerprint: required"),
    ('{"version": 1, "findings": [{"fingerprint": "x", "rule": "LA101", "listing": "y", "count": 0}]}',
     "findings[0].count"),
])
def test_bad_baseline_files_exit_2(cli, pages, content, problem):
    path = Path("baseline.json")
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = check(cli, "catalogue", "--baseline", path)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("listing-audit: error: baseline.json: ")
    assert problem in result.err and len(result.err.splitlines()) == 1


@pytest.mark.parametrize("flag,value,problem", [
    ("--baseline", "missing.json", "baseline not found"),
    ("--write-baseline", "no/such/dir/baseline.json", "cannot write the baseline"),
    ("--waivers", "missing.toml", "missing.toml"),
])
def test_a_gate_file_that_cannot_be_used_stops_the_run_before_any_input_is_read(
        cli, pages, monkeypatch, flag, value, problem):
    import audit.pipeline

    def must_not_run(*args, **kwargs):
        raise AssertionError("the inputs were audited before the gate's files were checked")

    monkeypatch.setattr(audit.pipeline, "audit", must_not_run)
    result = check(cli, "catalogue", flag, value)
    assert result.code == 2 and result.out == ""
    assert problem in result.err and len(result.err.splitlines()) == 1


def test_unwritable_baseline_exits_2(cli, pages):
    result = check(cli, "catalogue", "--write-baseline", "no/such/dir/baseline.json")
    assert result.code == 2 and "cannot write the baseline" in result.err


def test_baseline_gate_as_a_subprocess(pages, tmp_path):
    """The installed entry point, end to end: write, then gate a page with a new defect."""
    exe = [sys.executable, "-m", "audit"]
    env_cwd = {"cwd": tmp_path, "capture_output": True, "text": True}
    write = subprocess.run([*exe, "check", "catalogue", "--as-of", AS_OF, "--write-baseline",
                            "baseline.json"], **env_cwd)
    assert write.returncode == 0, write.stderr
    add_rating_conflict(pages / "race-to-mars.txt")
    gate = subprocess.run([*exe, "check", "catalogue", "--as-of", AS_OF, "--baseline",
                           "baseline.json", "--format", "json"], **env_cwd)
    assert gate.returncode == 1, gate.stderr
    report = json.loads(gate.stdout)
    assert [f["rule"] for f in report["findings"] if f["status"] == "active"] == ["LA402"]
    assert Path(ROOT / "audit" / "baseline.py").exists()
