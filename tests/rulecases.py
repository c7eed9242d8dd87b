"""Helpers for the rule tests: small listing pages and hand-built tables, run through one rule.

Pages are written the way the page reader expects (see fixtures/race-to-mars.txt). `page()`
builds a clean, realistic page by default; each test replaces the one part it is about.
Line numbers in assertions come from `line_of()`, which reads the text written to disk, so
the expected line never depends on the parser under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from audit.engine import run_rules
from audit.ingest.base import Builder
from audit.model import Finding
from audit.pipeline import audit
from audit.ruleset import load_rules, select_rules
from audit.tables import build_tables

AS_OF = dt.date(2026, 11, 24)
RULES = load_rules()

TITLE = "Harbour Lights"
HEADER = ["2025", "2 Seasons", "7.4\u00a0 (1,234)"]
DESCRIPTION = [
    "Harbour Lights is a British coastal drama that follows harbourmaster Nell Tarrant as she "
    "keeps the small Cornish fishing port of Porthmellon running while smugglers, winter storms "
    "and village politics close in around her family.",
    "Nell inherits the harbour from her father, Jack Tarrant, and soon finds that the fishing "
    "fleet, the lifeboat crew and the new marina developers all want something different from "
    "the quay. Her brother Daniel skippers the trawler Morwenna and resents every new rule.",
    "The drama is filmed on location in Cornwall and mixes village comedy with the danger of "
    "the sea, from rescues in gale-force winds to night-time chases after contraband.",
]
SUMMARY = ("Harbour Lights is a series that is currently running and has 2 seasons (4 episodes). "
           "The series first aired on March 3, 2025.")
EPISODES = [
    "Season 1",
    "1. The Harbourmaster", "March 3, 2025",
    "Nell Tarrant takes over the harbour at Porthmellon and clashes with the fishing fleet over "
    "the new mooring fees.",
    "2. Storm Warning", "March 10, 2025",
    "A winter storm traps the fishing fleet outside the harbour, and Nell must decide when the "
    "lifeboat crew goes out.",
    "Season 2",
    "1. Smugglers' Moon", "April 5, 2026",
    "Nell finds contraband hidden in the harbour wall and suspects that someone in the fleet is "
    "smuggling again.",
    "2. The Reckoning", "April 12, 2026",
    "The smugglers strike back at Porthmellon, and Daniel has to choose between the trawler "
    "Morwenna and his sister.",
]
FOOTER = [("Premiere Date", "March 3, 2025"), ("IMDB Rating", "7.4\u00a0 (1,234)")]


def page(*, title: str = TITLE, header: list[str] | None = None,
         description: list[str] | None = None, summary: str | None = SUMMARY,
         episodes: list[str] | None = None, footer: list[tuple[str, str]] | None = None) -> str:
    """A listing page in the seed's layout; None keeps the clean default of a part."""
    header = HEADER if header is None else header
    description = DESCRIPTION if description is None else description
    episodes = EPISODES if episodes is None else episodes
    footer = FOOTER if footer is None else footer
    lines = [title, "", f"Watch {title}", ""]
    lines += [f"  \u2022 {bullet}" for bullet in header]
    lines.append("")
    for paragraph in description:
        lines += [paragraph, ""]
    if summary:
        lines += [summary, ""]
    if episodes:
        lines += [title, "Filter by Source", "", "Seasons"] + episodes
    lines += ["Description", f"Where to Watch {title}",
              f"{title} is available for streaming on BritBox and on demand at Amazon Prime."]
    for label, value in footer:
        lines += [f"  \u2022 {label}", f"    {value}"]
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line of `text` that contains `needle`."""
    found = [i + 1 for i, line in enumerate(text.split("\n")) if needle in line]
    assert len(found) >= occurrence, f"{needle!r} is not on {occurrence} lines of the page"
    return found[occurrence - 1]


def last_line_of(text: str, needle: str) -> int:
    found = [i + 1 for i, line in enumerate(text.split("\n")) if needle in line]
    assert found, f"{needle!r} is not on the page"
    return found[-1]


def column_of(text: str, needle: str, occurrence: int = 1) -> int:
    line = text.split("\n")[line_of(text, needle, occurrence) - 1]
    return line.index(needle) + 1


def check_page(tmp_path: Path, rule: str, text: str | bytes, *, name: str = "page.txt",
               as_of: dt.date = AS_OF, settings: dict | None = None) -> list[Finding]:
    """Write one page and audit it with a single rule selected."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return check_paths([path], rule, as_of=as_of, settings=settings)


def check_paths(paths: list[Path], rule: str, *, as_of: dt.date = AS_OF,
                settings: dict | None = None) -> list[Finding]:
    rules = select_rules(RULES, [rule], None)
    assert [r.id for r in rules] == [rule]
    return audit([str(p) for p in paths], rules, as_of=as_of, settings=settings).findings


def check_built(rule: str, *builds: Callable[[Builder], Any], as_of: dt.date = AS_OF,
                settings: dict | None = None) -> list[Finding]:
    """Run one rule over tables built from Builder calls (fields pages do not state)."""
    results = []
    for number, build in enumerate(builds, start=1):
        builder = Builder(f"titles{number}.csv", "csv")
        build(builder)
        results.append(builder.result())
    rules = select_rules(RULES, [rule], None)
    return run_rules(rules, build_tables(results), as_of=as_of, settings=settings)


def evidence(finding: Finding) -> list[tuple]:
    """(line, text) of each evidence item: what the report shows the editor."""
    return [(e.line, e.text) for e in finding.evidence]


def only(findings: list[Finding], rule: str) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    assert findings[0].rule == rule
    return findings[0]
