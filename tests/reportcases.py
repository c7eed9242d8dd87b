"""Shared by the report-format tests: the sample reports and golden-file comparison."""

from __future__ import annotations

import json
import os
from pathlib import Path

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"


def load(name: str) -> dict:
    """A hand-written sample report from tests/data (seed, multi), checked against the schema."""
    from conftest import validate_report

    return validate_report(json.loads((DATA / f"{name}-report.json").read_text(encoding="utf-8")))


def check_golden(name: str, text: str) -> None:
    """Compare with tests/data/golden/<name>; UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing; run the tests with UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8"), (
        f"{name} differs from the golden file; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and review the diff")
