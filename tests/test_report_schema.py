"""The JSON report's published schema: shipped, printed, documented, and kept by every report."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import AS_OF, ROOT, SEED, validate_report

from audit.report.json_report import schema

# Whole reports kept as goldens (the shared-*.json goldens hold only selected fields).
GOLDEN_REPORTS = [ROOT / "tests" / "golden" / "seed-report.json",
                  ROOT / "tests" / "data" / "golden" / "cli-multi.json"]


def test_the_schema_command_prints_the_shipped_schema(cli):
    done = cli("schema", "report")
    assert done.code == 0
    printed = json.loads(done.out)
    assert printed == schema()
    jsonschema.Draft202012Validator.check_schema(printed)
    assert cli("schema", "other").code == 2


def test_the_contract_fields_stay_required():
    # DESIGN.md's schema_version 1 fields: a schema that stopped requiring them would let a
    # renamed field through.
    root = schema()
    assert set(root["required"]) >= {"schema_version", "tool", "as_of", "summary", "findings"}
    finding = root["$defs"]["finding"]
    assert set(finding["required"]) >= {"rule", "name", "severity", "message", "path", "evidence"}
    assert set(root["$defs"]["evidence"]["required"]) >= {"path", "line", "column", "text", "field"}
    assert set(finding["then"]["required"]) == {"field", "count", "total", "share", "rows"}


@pytest.mark.parametrize("path", GOLDEN_REPORTS, ids=lambda p: p.name)
def test_golden_reports_validate(path):
    validate_report(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("break_it", [
    lambda r: r.pop("as_of"),
    lambda r: r["findings"][0].update(severity="fatal"),
    lambda r: r["findings"][0].pop("evidence"),
    lambda r: r["findings"][0]["evidence"][0].update(line="9"),
    lambda r: r["summary"]["findings"].pop("info"),
    lambda r: r["findings"][0].update(scope="column"),  # a roll-up without its counts
])
def test_a_breaking_change_fails_validation(cli, break_it):
    report = cli("check", SEED, "--as-of", AS_OF, "--format", "json").json()
    break_it(report)
    with pytest.raises(AssertionError, match="breaks its JSON Schema"):
        validate_report(report)


def test_roll_up_reports_validate(cli, tmp_path):
    rows = ["show_id,type,title,director,cast,country,date_added,release_year,rating,duration,"
            "listed_in,description"]
    rows += [f"s{i},TV Show,Show {i},,A,Kuwait,,2018,TV-14,1 Season,Dramas,Friends {i} share."
             for i in range(1, 21)]
    (tmp_path / "titles.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = cli("check", tmp_path / "titles.csv", "--as-of", AS_OF, "--format", "json").json()
    assert any(f.get("scope") == "column" for f in report["findings"])
