"""HTML report: structure, anchors, escaping and self-containment, checked on the markup.

The browser behaviour (filters, sorting, that nothing runs) is in test_report_browser.py.
"""

from __future__ import annotations

import base64
import copy
import json
import hashlib
import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from audit.report import html, render
from audit.report._common import anchor_id, listing_anchor
from reportcases import check_golden, load

XSS_TITLE = "Night Shift <script>alert(1)</script>"


class Page(HTMLParser):
    """Collects what the tests ask about: elements with their attributes, text, scripts."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []  # <script type="application/json">: data, never run
        self.styles: list[str] = []
        self._raw: str | None = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script" and dict(attrs).get("type") == "application/json":
            self._raw = "data"
            self.data_blocks.append("")
        elif tag in ("script", "style"):
            self._raw = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == self._raw or (tag == "script" and self._raw == "data"):
            self._raw = None

    def handle_data(self, data):
        if self._raw == "script":
            self.scripts[-1] += data
        elif self._raw == "data":
            self.data_blocks[-1] += data
        elif self._raw == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.elements if a.get("id")]

    def tags(self, name: str) -> list[dict]:
        return [a for tag, a in self.elements if tag == name]

    def all_text(self) -> str:
        return "".join(self.text)


@pytest.fixture(scope="module")
def seed_page() -> tuple[str, Page]:
    source = html.render(load("seed"))
    return source, Page(source)


@pytest.fixture(scope="module")
def multi_page() -> tuple[str, Page]:
    source = html.render(load("multi"))
    return source, Page(source)


def test_golden_seed(seed_page):
    check_golden("seed.html", seed_page[0])


def test_golden_multi(multi_page):
    check_golden("multi.html", multi_page[0])


def test_header_shows_the_run(seed_page):
    _, page = seed_page
    text = page.all_text()
    for expected in ("Failing", "2026-11-24", "listing-audit 0.1.0",
                     "fixtures/race-to-mars.txt", "1 (4 episodes)"):
        assert expected in text
    totals = re.sub(r"\s+", " ", text[text.index("Failing"):text.index("As of")])
    assert "3errors" in totals.replace(" ", "") and "7warnings" in totals.replace(" ", "")


def test_listing_rule_and_finding_anchors_are_unique_and_linked(seed_page):
    source, page = seed_page
    ids = page.ids()
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    report = load("seed")
    for rule in report["rules"]:
        assert f"rule-{rule['id']}" in ids
    listing = listing_anchor("fixtures/race-to-mars.txt#1")
    assert listing in ids
    assert f'href="#{listing}"' in source
    # Every in-page link resolves.
    targets = {a["href"][1:] for a in page.tags("a") if a.get("href", "").startswith("#")}
    assert targets <= set(ids)
    findings = [a for a in page.tags("li") if "finding" in (a.get("class") or "").split()]
    assert len(findings) == 10
    assert all(a["id"].startswith("finding-") for a in findings)


def test_anchor_ids_are_stable_and_safe():
    assert anchor_id("rule", "LA101") == "rule-LA101"
    made = listing_anchor("fixtures/race-to-mars.txt#1")
    assert re.fullmatch(r"listing-fixtures-race-to-mars-txt-1-[0-9a-f]{8}", made)
    assert made == listing_anchor("fixtures/race-to-mars.txt#1")
    # Ids that slugify alike still differ.
    assert listing_anchor("a/b") != listing_anchor("a-b/")
    assert re.fullmatch(r"listing-[0-9a-f]{8}", listing_anchor("«»"))


def test_finding_anchors_follow_the_report_fingerprint(multi_page):
    _, page = multi_page
    report = load("multi")
    ids = page.ids()
    for finding in report["findings"]:
        assert f"finding-{finding['fingerprint'][:12]}" in ids


def test_evidence_is_quoted_highlighted_with_line_numbers(seed_page):
    source, _ = seed_page
    assert ('<span class="ln">9</span><span class="text"><mark>eight-episode series</mark>'
            in source)
    assert '<span class="ln">29–44</span><span class="text"><mark>Episode 4</mark>' in source
    # The rule's explanation is one click away, inside the finding.
    assert "<summary>Why LA101 matters</summary>" in source
    assert "A listing states its episode count in several places" in source


def test_charts_are_inline_svg(seed_page):
    _, page = seed_page
    svgs = page.tags("svg")
    assert [s["id"] for s in svgs] == ["chart-severity", "chart-rule"]
    descs = page.all_text()
    assert "Errors: 3; Warnings: 7; Info: 0" in descs
    assert "LA501 placeholder-title: 4" in descs


def test_listing_table_has_counts(seed_page):
    source, _ = seed_page
    row = re.search(r'<tr data-target="listing-[^"]+">(.*?)</tr>', source).group(1)
    numbers = re.findall(r'<td class="num" data-value="(\d+)">', row)
    assert numbers == ["3", "7", "0", "10"]


def test_listing_text_is_escaped(multi_page):
    source, page = multi_page
    assert len(page.scripts) == 1  # only the report's own script element runs
    (block,) = page.data_blocks  # the findings, once, as JSON that nothing executes
    assert "<" not in block and json.loads(block)["findings"]
    assert not page.tags("img")
    assert not any(name.startswith("on") for _, attrs in page.elements for name in attrs)
    assert "<script>alert(1)" not in source and "<img src=x" not in source
    text = page.all_text()
    assert XSS_TITLE in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "<script>window.__xss=1</script>" in text


def test_no_external_resources(multi_page):
    _, page = multi_page
    for tag, attrs in page.elements:
        for name in ("src", "srcset", "action", "poster", "data"):
            assert name not in attrs, (tag, attrs)
        if tag == "link":
            raise AssertionError(f"external <link>: {attrs}")
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#"), href
    for style in page.styles:
        assert "url(" not in style and "@import" not in style


def test_content_security_policy_allows_only_the_inline_assets(multi_page):
    _, page = multi_page
    csp = next(a["content"] for a in page.tags("meta")
               if a.get("http-equiv") == "Content-Security-Policy")

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert "default-src 'none'" in csp
    assert f"script-src 'sha256-{digest(page.scripts[0])}'" in csp
    assert f"style-src 'sha256-{digest(page.styles[0])}'" in csp
    assert "unsafe-inline" not in csp


def test_waived_and_baselined_are_shown_as_such(multi_page):
    source, page = multi_page
    text = page.all_text()
    assert ("Waived: Upstream feed bug FEED-12, fixed in next export. By editor@example.com. "
            "Expires 2027-01-01.") in text
    assert "Baselined: present in the baseline" in text
    statuses = Counter(a.get("data-status") for a in page.tags("li") if a.get("data-status"))
    assert statuses == {"active": 5, "waived": 1, "baselined": 1}
    assert 'name="accepted"' in source


def test_file_level_findings_and_files_table(multi_page):
    source, page = multi_page
    ids = page.ids()
    assert anchor_id("file", "fixtures/broken.json") in ids
    text = page.all_text()
    assert "skipped: unsupported file type .docx" in text
    assert "fixtures/clean.csv" in text


def test_filters_offer_every_rule_with_findings(multi_page):
    _, page = multi_page
    options = [a.get("value") for a in page.tags("option")]
    assert options == ["", "LA001", "LA101", "LA203", "LA401", "LA503", "LA504", "LA505"]
    severities = [a["value"] for a in page.tags("input") if a.get("name") == "severity"]
    assert severities == ["error", "warning", "info"]


def test_empty_report_renders():
    report = load("seed")
    report["findings"] = []
    report["summary"].update(findings={"error": 0, "warning": 0, "info": 0}, failing=0)
    source = html.render(report)
    page = Page(source)
    assert "Passing" in page.all_text()
    assert "No findings." in page.all_text()
    assert not page.tags("form")


def test_deterministic():
    report = load("multi")
    assert html.render(report) == html.render(copy.deepcopy(report))


def test_cli_seed_golden(cli_seed):
    source = html.render(cli_seed)
    check_golden("cli-seed.html", source)
    page = Page(source)
    ids = page.ids()
    assert len(ids) == len(set(ids))
    errors = [a for a in page.tags("li") if a.get("data-severity") == "error"]
    assert sorted(a["data-rule"] for a in errors) == ["LA101", "LA201", "LA301"]


MINIMAL = {
    # Only the fields the design notes promise for schema 1: no files, rules, inputs,
    # failing count, finding position or status.
    "schema_version": 1, "tool": {"name": "listing-audit", "version": "0.1.0"},
    "as_of": "2026-11-24",
    "summary": {"files": 1, "listings": 1, "episodes": 4,
                "findings": {"error": 1, "warning": 0, "info": 0}},
    "findings": [{"rule": "LA101", "name": "episode-count-conflict", "severity": "error",
                  "message": "Episode counts disagree", "path": "race-to-mars.txt",
                  "listing": {"id": "race-to-mars.txt#1", "title": "Race to Mars"},
                  "evidence": [{"path": "race-to-mars.txt", "line": 23, "column": 71,
                                "text": "4 episodes", "field": "episode_count", "value": 4},
                               {"path": "race-to-mars.txt", "line": 9, "column": 252,
                                "text": "eight-episode series", "field": "episode_count",
                                "value": 8}]}],
}


@pytest.mark.parametrize("fmt, expected", [
    ("html", "race-to-mars.txt:9:252"),
    ("sarif", '"startColumn": 252'),
    ("junit", 'name="LA101 Race to Mars @ line 9"'),
    ("markdown", "`race-to-mars.txt:9:252`"),
    ("github", "::error file=race-to-mars.txt,line=9,col=252,endLine=9,endColumn=272,"),
])
def test_minimal_report_every_format(fmt, expected):
    # The finding's position comes from its first evidence line when the report omits it.
    original = copy.deepcopy(MINIMAL)
    text = render(MINIMAL, fmt)
    assert expected in text
    assert MINIMAL == original  # rendering never changes the caller's report
