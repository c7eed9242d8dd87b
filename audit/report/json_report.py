"""The JSON report: the result model itself, written with sorted keys for stable bytes."""

from __future__ import annotations

import json
from typing import Any


def render(report: dict[str, Any], *, color: bool = False) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
