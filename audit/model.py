"""The result model shared by every stage: severities, evidence, findings, and table columns.

Ingest writes the three tables whose columns are named here; the engine turns rule
evaluations into `Finding`s; reports read findings (as the JSON report dict) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


SEVERITIES = tuple(s.value for s in Severity)

# --- table columns -------------------------------------------------------------------------
# One row per listing read. `listing_id` is unique within a run; `key` identifies the listing
# within its catalogue and across runs: an external id (tvmaze:82), a row id scoped to its
# catalogue ("titles.csv:s1"), else the normalised title and year. `catalogue` is the
# catalogue the listing belongs to: a name a mapping gives, else the file of an export that
# holds several listings, else "" (loose pages and records of one run form one catalogue).
LISTING_COLUMNS = [
    "listing_id", "key", "catalogue", "path", "line", "format", "title", "kind", "year",
    "complete_episode_list",
]

# One row per episode listed. `episode` is the position of the episode in its listing
# (0-based, in source order) and joins episode-level claims.
EPISODE_COLUMNS = [
    "listing_id", "episode", "season", "number", "title", "air_date", "synopsis",
    "special", "path", "line", "end_line", "heading",
]

# One row per value stated anywhere: a fact (field episode_count, status, rating, ...) or a
# piece of free text (field synopsis, description, ...). `value` is the canonical form used
# for comparison ("8", "2007-09-23", "2007", "running"); `number` its numeric form when it has
# one; `text` is the exact text of the source at (line, column).
CLAIM_COLUMNS = [
    "listing_id", "episode", "scope", "field", "value", "number", "source",
    "path", "line", "column", "end_line", "text",
]

# Human names of claim sources, used in messages ("the description says 8").
SOURCE_LABELS = {
    "title": "title",
    "header": "header",
    "description": "description",
    "summary": "summary sentence",
    "footer": "footer box",
    "where-to-watch": "where-to-watch text",
    "listed": "episode list",
    "field": "record",
    "jsonld": "JSON-LD",
    "episode": "episode",
}


@dataclass(frozen=True)
class Evidence:
    path: str
    line: int | None
    column: int | None
    text: str
    field: str
    value: Any = None
    source: str | None = None
    end_line: int | None = None
    # The position (in its listing) of the episode the evidence is about: what the engine
    # uses to tell that two findings cite the same episode (see Rule.explains). Not reported.
    episode: int | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path, "line": self.line, "column": self.column, "text": self.text,
            "field": self.field, "value": self.value,
        }
        if self.source is not None:
            out["source"] = self.source
        if self.end_line is not None and self.end_line != self.line:
            out["end_line"] = self.end_line
        return out


def format_share(share: float) -> str:
    """'31%', or one decimal where rounding would say 0% or 100% of a column that is neither."""
    whole = round(share * 100)
    if (whole == 0 and share > 0) or (whole == 100 and share < 1):
        return f"{share * 100:.1f}%"
    return f"{whole}%"


@dataclass(frozen=True)
class Rollup:
    """What makes a finding a column roll-up (see audit/rollup.py): the field, how many rows
    of the column fail the rule, how many rows the column has, and every affected row."""

    field: str
    count: int
    total: int
    rows: list[dict[str, Any]]

    @property
    def share(self) -> float:
        return round(self.count / self.total, 4) if self.total else 1.0


@dataclass
class Finding:
    rule: str
    name: str
    severity: Severity
    message: str
    path: str
    listing_id: str | None = None
    listing_title: str | None = None
    listing_key: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    rollup: Rollup | None = None

    @property
    def line(self) -> int | None:
        lines = [e.line for e in self.evidence if e.path == self.path and e.line is not None]
        return min(lines) if lines else None

    @property
    def column(self) -> int | None:
        first = self.line
        for e in self.evidence:
            if e.path == self.path and e.line == first:
                return e.column
        return None

    def sort_key(self) -> tuple:
        line = self.line
        return (self.path, line if line is not None else 0, self.rule, self.listing_id or "",
                self.message)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "listing": None if self.listing_id is None else {
                "id": self.listing_id, "title": self.listing_title, "key": self.listing_key,
            },
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.rollup is not None:
            # A column roll-up: its evidence holds the first examples, `rows` every row.
            out.update({"scope": "column", "field": self.rollup.field,
                        "count": self.rollup.count, "total": self.rollup.total,
                        "share": self.rollup.share, "rows": self.rollup.rows})
        return out
