"""LA203 across a catalogue: one title twice is a duplicate; two shows sharing a title are not."""

from __future__ import annotations

import datetime as dt

from audit.engine import run_rules
from audit.ingest.base import Builder
from audit.ruleset import load_rules, select_rules
from audit.tables import build_tables


def _row(builder: Builder, show_id: str, title: str, description: str | None, line: int) -> None:
    listing = builder.listing(title, line=line, key=f"netflix:{show_id}", kind="series", year=2019)
    builder.claim(listing, "title", title.strip(), source="field", line=line, column=12, text=title)
    if description is not None:
        builder.claim(listing, "description", description, source="field", line=line, column=80,
                      text=description)


def _la203(rows) -> list:
    builder = Builder("titles.csv", "csv")
    for number, row in enumerate(rows, start=2):
        _row(builder, *row, line=number)
    rules = select_rules(load_rules(), ["LA203"], None)
    return run_rules(rules, build_tables([builder.result()]), as_of=dt.date(2026, 11, 24))


def test_same_title_and_description_twice_is_one_listing_twice():
    (finding,) = _la203([("s1", "Consequences", "Secrets bubble to the surface."),
                         ("s2", "Consequences ", "Secrets bubble to the surface.")])
    assert [e.line for e in finding.evidence] == [2, 3]


def test_shared_title_with_different_descriptions_is_two_shows():
    assert _la203([("s1", "WHAT / IF", "A scientist strikes an outrageous deal."),
                   ("s2", "What If?", "Four individuals at a crossroads in life.")]) == []


def test_same_external_id_is_a_duplicate_whatever_the_text():
    findings = _la203([("s1", "Dark", "A missing child."), ("s1", "Dark (2017)", "Time travel.")])
    assert len(findings) == 1 and findings[0].evidence[0].value == "netflix:s1"


def test_listings_without_titles_are_not_duplicates_of_each_other():
    builder = Builder("feed.json", "json")
    builder.listing(None, line=1, year=2019)
    builder.listing("", line=5, year=2019)
    rules = select_rules(load_rules(), ["LA203"], None)
    assert run_rules(rules, build_tables([builder.result()]), as_of=dt.date(2026, 11, 24)) == []
