"""The seed page: the project's reference input and its acceptance criteria (issue 2)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import AS_OF, SEED, SHARED, needs_shared

GOLDEN = Path(__file__).parent / "golden" / "seed-report.json"


def _by_rule(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        out.setdefault(finding["rule"], []).append(finding)
    return out


def _lines(finding: dict) -> list[int]:
    return [e["line"] for e in finding["evidence"]]


def test_seed_acceptance(cli, monkeypatch):
    monkeypatch.chdir(SEED.parent.parent)
    result = cli("check", "fixtures/race-to-mars.txt", "--format", "json", "--as-of", AS_OF)
    assert result.code == 1
    report = result.json()
    found = _by_rule(report)

    (la101,) = found["LA101"]
    assert la101["severity"] == "error"
    assert _lines(la101) == [9, 23, 29]
    assert [e["text"] for e in la101["evidence"]][:2] == ["eight-episode series", "4 episodes"]
    assert la101["evidence"][2]["end_line"] == 44
    assert "description says" in la101["message"] and "4 are listed (lines 29-44)" in la101["message"]

    (la201,) = found["LA201"]
    assert la201["severity"] == "error"
    assert _lines(la201) == [32, 36, 40, 44]

    (la301,) = found["LA301"]
    assert la301["severity"] == "error"
    texts = {e["line"]: e["text"] for e in la301["evidence"]}
    assert texts[23] == "is currently running"
    assert texts[9] == "was a Canadian television mini-series"
    assert texts[31] == "September 23, 2007"

    (la304,) = found["LA304"]
    assert la304["severity"] == "warning" and _lines(la304) == [31, 35, 39, 43]
    assert sorted(e["text"] for f in found["LA501"] for e in f["evidence"]) == [
        "Episode 1", "Episode 2", "Episode 3", "Episode 4"]
    assert all(f["severity"] == "warning" for f in found["LA501"])
    (la502,) = found["LA502"]
    assert la502["evidence"][0]["text"] == "1 seasons" and la502["line"] == 23
    (la503,) = found["LA503"]
    assert la503["severity"] == "warning" and "China" in la503["message"]

    for absent in ("LA102", "LA302", "LA401", "LA402"):
        assert absent not in found, absent
    assert report["summary"]["findings"]["error"] == 3


def test_seed_golden_report(cli, monkeypatch):
    """Any change in what the seed yields shows up here, in review, as a diff."""
    monkeypatch.chdir(SEED.parent.parent)
    result = cli("check", "fixtures/race-to-mars.txt", "--format", "json", "--as-of", AS_OF)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(result.out, encoding="utf-8")
    assert result.out == GOLDEN.read_text(encoding="utf-8")


def test_seed_output_is_byte_identical_across_runs_and_order(cli, tmp_path, monkeypatch):
    for name in ("b.txt", "a.txt"):
        shutil.copy(SEED, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    first = cli("check", "a.txt", "b.txt", "--format", "json", "--as-of", AS_OF).out
    second = cli("check", "b.txt", "a.txt", "--format", "json", "--as-of", AS_OF).out
    assert first == second
    both = cli("check", ".", "--format", "json", "--as-of", AS_OF).json()
    assert [f["path"] for f in both["findings"] if f["rule"] == "LA101"] == ["a.txt", "b.txt"]
    (duplicate,) = [f for f in both["findings"] if f["rule"] == "LA203"]
    assert {e["path"] for e in duplicate["evidence"]} == {"a.txt", "b.txt"}


@needs_shared
def test_fixture_is_the_shared_seed_byte_for_byte():
    assert SEED.read_bytes() == (SHARED / "seed" / "race-to-mars.txt").read_bytes()


def test_json_report_keeps_the_design_contract(cli_seed):
    """The fields DESIGN.md fixes (schema_version 1): other tools read them; never rename."""
    report = cli_seed
    assert report["schema_version"] == 1
    assert report["tool"]["name"] == "listing-audit" and report["tool"]["version"]
    assert report["as_of"] == AS_OF
    summary = report["summary"]
    assert {"files", "listings", "episodes", "findings"} <= set(summary)
    assert set(summary["findings"]) == {"error", "warning", "info"}
    for finding in report["findings"]:
        assert {"rule", "name", "severity", "message", "path", "listing", "evidence"} <= set(finding)
        assert {"id", "title"} <= set(finding["listing"])
        for item in finding["evidence"]:
            assert {"path", "line", "column", "text", "field", "value"} <= set(item)
    keys = [(f["path"], f["line"] or 0, f["rule"]) for f in report["findings"]]
    assert keys == sorted(keys)
