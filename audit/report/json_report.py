"""The JSON report: the result model itself, written with sorted keys for stable bytes, and
its published JSON Schema (assets/report.schema.json, `listing-audit schema report`)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def render(report: dict[str, Any], *, color: bool = False) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def schema_text() -> str:
    """The JSON Schema (draft 2020-12) every JSON report of schema_version 1 validates against."""
    return resources.files("audit.report").joinpath("assets", "report.schema.json").read_text(
        encoding="utf-8")


def schema() -> dict[str, Any]:
    return json.loads(schema_text())
