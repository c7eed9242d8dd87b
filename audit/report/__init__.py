"""Output formats. Each module renders the JSON report dict (the one result model) to text.

A format module exposes `render(report: dict, *, color: bool = False) -> str`; it knows
findings, never where they came from.
"""

from __future__ import annotations

import importlib
from typing import Any

FORMATS = ("terminal", "concise", "json", "html", "sarif", "junit", "markdown", "github")

# Extensions that --report PATH and `report --output` understand.
FORMAT_BY_EXTENSION = {
    ".json": "json", ".html": "html", ".htm": "html", ".sarif": "sarif", ".xml": "junit",
    ".md": "markdown", ".txt": "terminal",
}

_MODULES = {"json": "json_report"}


def render(report: dict[str, Any], fmt: str, *, color: bool = False) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{_MODULES.get(fmt, fmt)}")
    return module.render(report, color=color)
