"""Waivers (issue 5, point 4): accepted findings with a reason, shown in every format, expiring."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, SEED

from audit import waivers as waivers_mod

REASON = "The broadcaster really aired all four episodes on one night"
WAIVERS_TOML = f"""\
[[waivers]]
rule = "LA304"
listing = "race to mars|2007"
reason = "{REASON}"
by = "ana@example.org"
expires = 2026-12-31

[[waivers]]
rule = "duplicated-synopsis"
listing = "Race to Mars|2007"
reason = "Synopses come from the distributor; ticket CAT-12"
by = "bo"
"""


@pytest.fixture
def page(tmp_path, monkeypatch):
    shutil.copy(SEED, tmp_path / "race-to-mars.txt")
    (tmp_path / "waivers.toml").write_text(WAIVERS_TOML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "race-to-mars.txt"


def run(cli, *args, as_of=AS_OF):
    return cli("check", "race-to-mars.txt", "--as-of", as_of, *map(str, args))


def by_rule(report: dict) -> dict[str, dict]:
    return {f["rule"]: f for f in report["findings"]}


def test_waived_findings_are_marked_with_their_waiver_and_do_not_fail(cli, page):
    result = run(cli, "--waivers", "waivers.toml", "--format", "json")
    report = result.json()
    found = by_rule(report)
    assert found["LA304"]["status"] == "waived"
    assert found["LA304"]["waiver"] == {"rule": "LA304", "listing": "race to mars|2007",
                                        "reason": REASON, "by": "ana@example.org",
                                        "expires": "2026-12-31"}
    assert found["LA201"]["status"] == "waived"  # rule given by name, listing in other case
    assert "expires" not in found["LA201"]["waiver"]
    assert found["LA101"]["status"] == "active" and "waiver" not in found["LA101"]
    summary = report["summary"]
    assert summary["waived"] == 2 and summary["waivers_expired"] == 0
    assert summary["findings"] == {"error": 3, "warning": 7, "info": 0}  # still found
    assert summary["failing"] == 2  # LA101 and LA301; LA201 is waived
    assert result.code == 1
    assert report["waivers"]["entries"] == 2 and report["waivers"]["unused"] == []


def test_waived_with_reason_in_every_report_format(cli, page):
    outputs = {fmt: run(cli, "--waivers", "waivers.toml", "--format", fmt).out
               for fmt in ("terminal", "json", "markdown", "html", "junit", "sarif")}
    for fmt, text in outputs.items():
        assert REASON in text, fmt
        if fmt != "sarif":
            assert "waived" in text.lower(), fmt
    assert "(waived)" in outputs["terminal"] and f"waived: {REASON}" in outputs["terminal"]
    assert "2 waived" in outputs["terminal"].splitlines()[-1]
    sarif = json.loads(outputs["sarif"])
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert {r["ruleId"] for r in suppressed} == {"LA304", "LA201"}
    assert all(r["suppressions"][0]["status"] == "accepted" for r in suppressed)
    # GitHub annotations leave accepted findings out, by design of that format, and count them
    github = run(cli, "--waivers", "waivers.toml", "--format", "github").out
    assert "title=LA304" not in github and "Not annotated: 2 waived findings." in github


def test_waiver_holds_through_its_expiry_day(cli, page):
    report = run(cli, "--waivers", "waivers.toml", "--format", "json", as_of="2026-12-31").json()
    assert by_rule(report)["LA304"]["status"] == "waived"


def test_expired_waiver_turns_the_finding_back_on_and_says_so(cli, page):
    result = run(cli, "--waivers", "waivers.toml", "--format", "json", "--fail-on", "warning",
                 as_of="2027-01-01")
    report = result.json()
    finding = by_rule(report)["LA304"]
    assert finding["status"] == "active"
    assert finding["waiver"]["expired"] is True and finding["waiver"]["expires"] == "2026-12-31"
    assert finding["message"].endswith(
        f"[waiver expired 2026-12-31: {REASON} (by ana@example.org)]")
    assert report["summary"]["waivers_expired"] == 1 and report["summary"]["waived"] == 1
    assert result.code == 1
    terminal = run(cli, "--waivers", "waivers.toml", as_of="2027-01-01").out
    assert "waiver expired 2026-12-31" in terminal
    assert "1 finding back on (waiver expired)" in terminal.splitlines()[-1]


def test_expired_waiver_fails_the_gate_for_an_error(cli, page):
    Path("w.yaml").write_text(
        "waivers:\n"
        "  - {rule: LA101, listing: 'race to mars|2007', reason: counts differ upstream,"
        " by: ana, expires: 2026-01-31}\n"
        "  - {rule: LA201, listing: 'race to mars|2007', reason: r, by: ana}\n"
        "  - {rule: LA301, listing: 'race to mars|2007', reason: r, by: ana}\n", encoding="utf-8")
    before = run(cli, "--waivers", "w.yaml", as_of="2026-01-31")
    assert before.code == 0
    after = run(cli, "--waivers", "w.yaml", as_of="2026-02-01")
    assert after.code == 1
    assert "[waiver expired 2026-01-31: counts differ upstream (by ana)]" in after.out


def test_expired_waiver_is_not_hidden_by_the_baseline(cli, page):
    """A finding waived when the baseline was written is not in the baseline; once its waiver
    expires it fails the gate rather than being swallowed as a known finding."""
    written = run(cli, "--waivers", "waivers.toml", "--write-baseline", "baseline.json")
    assert written.code == 0 and "wrote 8 findings" in written.err
    report = run(cli, "--waivers", "waivers.toml", "--baseline", "baseline.json", "--format", "json",
                 "--fail-on", "warning", as_of="2027-01-01").json()
    found = by_rule(report)
    assert found["LA304"]["status"] == "active" and found["LA304"]["waiver"]["expired"]
    assert found["LA201"]["status"] == "waived"
    assert report["summary"]["failing"] == 1


def test_waivers_in_json_and_from_the_config_file(cli, page, tmp_path):
    waivers = tmp_path / "policy" / "waivers.json"
    waivers.parent.mkdir()
    waivers.write_text(json.dumps({"waivers": [
        {"rule": "LA301", "listing": "race to mars|2007", "reason": "known", "by": "ana"}]}))
    (tmp_path / "listing-audit.toml").write_text('waivers = "policy/waivers.json"\n')
    report = run(cli, "--format", "json").json()
    assert by_rule(report)["LA301"]["status"] == "waived"
    assert report["waivers"]["path"] == str(waivers)
    # the flag replaces the configured file
    flagged = run(cli, "--format", "json", "--waivers", "waivers.toml").json()
    assert by_rule(flagged)["LA301"]["status"] == "active"


def test_unused_waivers_are_listed(cli, page):
    Path("w.toml").write_text(
        '[[waivers]]\nrule = "LA102"\nlisting = "race to mars|2007"\nreason = "r"\nby = "b"\n')
    report = run(cli, "--waivers", "w.toml", "--format", "json").json()
    assert report["waivers"]["unused"] == [
        {"rule": "LA102", "listing": "race to mars|2007", "reason": "r", "by": "b"}]
    assert report["summary"]["waived"] == 0


BAD = [
    ("w.toml", '[[waivers]]\nrule = "LA304"\nlisting = "x"\nby = "b"\n', "waivers[0].reason: required"),
    ("w.toml", '[[waivers]]\nrule = "LA304"\nlisting = "x"\nreason = " "\nby = "b"\n',
     "waivers[0].reason: required"),
    ("w.toml", '[[waivers]]\nrule = "LA304"\nlisting = "x"\nreason = "r"\n', "waivers[0].by: required"),
    ("w.toml", '[[waivers]]\nrule = "LA999"\nlisting = "x"\nreason = "r"\nby = "b"\n',
     "waivers[0].rule: no rule 'LA999'"),
    ("w.toml", '[[waivers]]\nrule = "LA304"\nlisting = "x"\nreason = "r"\nby = "b"\nwhy = 1\n',
     "waivers[0]: unknown key 'why'"),
    ("w.toml", '[[waivers]]\nrule = "LA304"\nlisting = "x"\nreason = "r"\nby = "b"\nexpires = "soon"\n',
     "waivers[0].expires: 'soon' is not a date"),
    ("w.toml", 'waiver = []\n', "unknown key 'waiver'"),
    ("w.toml", 'waivers = "all"\n', "'waivers' must be a list"),
    ("w.toml", 'waivers = [\n', "not valid TOML"),
    ("w.yaml", "waivers:\n  - just a string\n", "waivers[0]: each waiver must be a mapping"),
    ("w.yaml", "waivers: [\n", "not valid YAML"),
    ("w.json", "{", "not valid JSON"),
    ("w.txt", "", "must end in .toml, .yaml, .yml or .json"),
]


@pytest.mark.parametrize("name,text,problem", BAD)
def test_bad_waiver_files_exit_2(cli, page, name, text, problem):
    Path(name).write_text(text, encoding="utf-8")
    result = run(cli, "--waivers", name)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"listing-audit: error: {name}: ")
    assert problem in result.err and len(result.err.splitlines()) == 1


def test_missing_waiver_file_exits_2(cli, page):
    result = run(cli, "--waivers", "nope.toml")
    assert result.code == 2 and "nope.toml: cannot read the waiver file" in result.err


def test_empty_waiver_file_is_fine(cli, page):
    Path("w.yaml").write_text("", encoding="utf-8")
    assert waivers_mod.load(Path("w.yaml")) == []
    assert run(cli, "--waivers", "w.yaml").code == 1
