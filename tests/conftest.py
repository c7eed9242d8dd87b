"""Shared test helpers: where things are, and running the CLI in-process."""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "race-to-mars.txt"
SHARED = ROOT.parent / "shared"
AS_OF = "2026-11-24"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent (bare clone)")


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        data = json.loads(self.out)
        if isinstance(data, dict) and "schema_version" in data and "findings" in data:
            validate_report(data)  # every JSON report a test sees keeps the published schema
        return data


def validate_report(report: dict) -> dict:
    """Fail the test unless `report` validates against the shipped JSON report schema."""
    import jsonschema

    from audit.report.json_report import schema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "the report breaks its JSON Schema: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:5])
    return report


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `listing-audit ARGS` in-process through the real entry point."""
    from audit.cli import main

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def _seed_report() -> dict:
    import datetime as dt

    from audit.pipeline import audit
    from audit.result import to_report
    from audit.ruleset import load_rules

    cwd = Path.cwd()
    try:
        os.chdir(ROOT)  # the report names the seed as the user would: fixtures/race-to-mars.txt
        run = audit(["fixtures/race-to-mars.txt"], load_rules(), as_of=dt.date.fromisoformat(AS_OF))
    finally:
        os.chdir(cwd)
    return validate_report(to_report(run))


@pytest.fixture
def cli_seed(_seed_report) -> dict:
    """The real pipeline's JSON report of the seed page; goldens of it move when rules change
    (regenerate with UPDATE_GOLDEN=1 and review the diff)."""
    return copy.deepcopy(_seed_report)
