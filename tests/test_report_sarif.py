"""SARIF output: schema-valid, GitHub-ready locations, fingerprints that survive edits."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from audit.report import sarif
from reportcases import DATA, check_golden, load

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(doc: dict) -> None:
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("name", ["seed", "multi"])
def test_matches_golden_and_schema(name):
    text = sarif.render(load(name))
    check_golden(f"{name}.sarif", text)
    validate(json.loads(text))


def test_schema_rejects_a_broken_document():
    # Guard against a validator that accepts anything (wrong draft, empty schema).
    doc = json.loads(sarif.render(load("seed")))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        validate(doc)


def test_driver_lists_every_rule_with_documentation():
    report = load("seed")
    driver = json.loads(sarif.render(report))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "listing-audit"
    assert driver["version"] == "0.1.0"
    assert [r["id"] for r in driver["rules"]] == [r["id"] for r in report["rules"]]
    la101 = next(r for r in driver["rules"] if r["id"] == "LA101")
    assert la101["name"] == "episode-count-conflict"
    assert la101["shortDescription"]["text"].startswith("Stated episode counts disagree")
    assert "several places" in la101["fullDescription"]["text"]
    assert "eight-episode" in la101["help"]["text"]
    assert la101["defaultConfiguration"]["level"] == "error"
    la505 = next(r for r in driver["rules"] if r["id"] == "LA505")
    assert la505["defaultConfiguration"]["level"] == "note"


def test_results_point_at_their_rule_and_location():
    doc = json.loads(sarif.render(load("seed")))
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 10
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    first = results[0]
    assert (first["ruleId"], first["level"]) == ("LA101", "error")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "fixtures/race-to-mars.txt",
                                            "uriBaseId": "%SRCROOT%"}
    # endColumn is one past the last character of "eight-episode series" (20 characters).
    assert location["region"] == {"startLine": 9, "startColumn": 252, "endLine": 9,
                                  "endColumn": 272, "snippet": {"text": "eight-episode series"}}
    related = first["relatedLocations"]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [23, 29]
    # A span over lines 29-44 ends at the end of line 44, not at a made-up column.
    assert related[1]["physicalLocation"]["region"]["endLine"] == 44
    assert "endColumn" not in related[1]["physicalLocation"]["region"]
    assert {r["level"] for r in results} == {"error", "warning"}


def test_info_is_a_note_and_file_level_findings_start_at_line_one():
    report = load("multi")
    report["findings"][0]["line"] = None
    report["findings"][0]["column"] = None
    report["findings"][0]["evidence"][0].update(line=None, column=None)
    doc = json.loads(sarif.render(report))
    validate(doc)
    results = doc["runs"][0]["results"]
    assert results[0]["ruleId"] == "LA001"
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert next(r for r in results if r["ruleId"] == "LA505")["level"] == "note"


def test_paths_are_relative_uris_with_forward_slashes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = load("seed")
    absolute = str(tmp_path / "catalogue pages" / "race-to-mars.txt")
    for finding in report["findings"]:
        finding["path"] = absolute
        for evidence in finding["evidence"]:
            evidence["path"] = absolute
    doc = json.loads(sarif.render(report))
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "catalogue%20pages/race-to-mars.txt", "uriBaseId": "%SRCROOT%"}


def test_dot_slash_paths_get_the_same_uri():
    report = load("seed")
    report["findings"][0]["path"] = "./fixtures/race-to-mars.txt"
    doc = json.loads(sarif.render(report))
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "fixtures/race-to-mars.txt"


def fingerprints(report: dict) -> list[str]:
    doc = json.loads(sarif.render(report))
    return [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in doc["runs"][0]["results"]]


def test_fingerprints_ignore_line_numbers():
    report = load("seed")
    moved = copy.deepcopy(report)
    for finding in moved["findings"]:
        finding["line"] += 7
        for evidence in finding["evidence"]:
            evidence["line"] += 7
            evidence["column"] += 3
    assert fingerprints(moved) == fingerprints(report)


def test_fingerprints_change_with_rule_path_listing_or_text():
    base = fingerprints(load("seed"))[0]
    for change in (
        lambda f: f.update(rule="LA102"),
        lambda f: f.update(path="fixtures/other.txt"),
        lambda f: f["listing"].update(key="race to mars|2008"),
        lambda f: f["evidence"][0].update(text="nine-episode series"),
    ):
        report = load("seed")
        change(report["findings"][0])
        assert fingerprints(report)[0] != base


def test_fingerprints_are_unique_within_a_run():
    report = load("seed")
    report["findings"].append(copy.deepcopy(report["findings"][-1]))
    found = fingerprints(report)
    assert len(set(found)) == len(found)


def test_baselined_and_waived_findings():
    doc = json.loads(sarif.render(load("multi")))
    by_rule = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    assert by_rule["LA203"]["baselineState"] == "unchanged"
    assert by_rule["LA101"]["baselineState"] == "new"
    suppression = by_rule["LA401"]["suppressions"][0]
    assert suppression["kind"] == "external"
    assert suppression["justification"] == "Upstream feed bug FEED-12, fixed in next export"
    assert "suppressions" not in by_rule["LA101"]
    # Without a baseline in the run, no result claims a baseline state.
    seed = json.loads(sarif.render(load("seed")))
    assert all("baselineState" not in r for r in seed["runs"][0]["results"])


def test_unknown_rule_gets_a_descriptor():
    report = load("seed")
    report["rules"] = [r for r in report["rules"] if r["id"] != "LA101"]
    doc = json.loads(sarif.render(report))
    validate(doc)
    run = doc["runs"][0]
    result = run["results"][0]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "LA101"


def test_skipped_files_are_reported_as_notifications():
    doc = json.loads(sarif.render(load("multi")))
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "Skipped fixtures/notes.docx: unsupported file type .docx"]


def test_deterministic():
    assert sarif.render(load("multi")) == sarif.render(load("multi"))


def test_cli_seed_golden_and_schema(cli_seed):
    text = sarif.render(cli_seed)
    check_golden("cli-seed.sarif", text)
    validate(json.loads(text))
