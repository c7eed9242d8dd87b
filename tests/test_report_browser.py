"""The HTML report in a real browser: headless Chromium driven by Playwright.

Skipped (with the reason) where /usr/bin/chromium or the playwright package is missing.
Playwright must never download a browser here: it launches Debian's chromium by path.

`SAVE_DOCS_SCREENSHOT=1` also writes docs/report-screenshot.png from the seed report.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportcases import load

from audit.report import html

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the suite must still run where the browser stack is absent
    sync_playwright = None

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = "fixtures/race-to-mars.txt"
CHROMIUM = Path(os.environ.get("LISTING_AUDIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

if sync_playwright is None:
    pytest.skip("the playwright package is not installed (pip install playwright)",
                allow_module_level=True)
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A report opened from file:// with everything that went wrong recorded."""

    def __init__(self, browser, path: Path, viewport: dict, **context_options):
        self.context = browser.new_context(viewport=viewport, **context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.url = path.as_uri()
        self.page.goto(self.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible(self, selector: str) -> int:
        return self.page.locator(f"{selector}:visible").count()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_report(browser, tmp_path):
    opened: list[Opened] = []

    def _open(report: dict | Path, viewport: dict = WIDE, name: str = "report.html",
              **options):
        """Open a report dict (rendered here) or an HTML file written elsewhere."""
        if isinstance(report, Path):
            path = report
        else:
            path = tmp_path / name
            path.write_text(html.render(report), encoding="utf-8")
        view = Opened(browser, path, viewport, **options)
        opened.append(view)
        return view

    yield _open
    for view in opened:
        # Whatever a test did, the page must not have failed, popped up or fetched anything.
        assert not view.errors, view.errors
        assert not view.dialogs, view.dialogs
        assert [url for url in view.requests if url.split("#")[0] != view.url] == []
        view.close()


def test_seed_report_totals_errors_filters_and_search(open_report, tmp_path):
    view = open_report(load("seed"))
    page = view.page
    totals = page.locator("#totals")
    assert totals.is_visible()
    assert " ".join(totals.inner_text().split()) == "3 errors 7 warnings 0 info"

    # The three seed errors and their evidence are on screen.
    assert view.visible(".finding[data-severity=error]") == 3
    for rule, evidence in (("LA101", "eight-episode series"),
                           ("LA301", "was a Canadian television mini-series"),
                           ("LA201", "China has stunned the world")):
        finding = page.locator(f".finding[data-rule={rule}]")
        assert finding.is_visible()
        assert finding.locator("mark", has_text=evidence).first.is_visible()
    assert page.locator(".finding[data-rule=LA301] mark", has_text="currently running").is_visible()

    # Unticking "Warnings" hides every warning and keeps the errors.
    page.get_by_label("Warnings (7)").uncheck()
    assert view.visible(".finding[data-severity=warning]") == 0
    assert view.visible(".finding[data-severity=error]") == 3
    assert page.locator("#shown").inner_text() == "Showing 3 of 10 findings"
    page.get_by_label("Warnings (7)").check()
    assert view.visible(".finding") == 10

    # The search box narrows the list to findings that mention every word typed.
    page.get_by_label("Search", exact=True).fill("episode 3")
    assert view.visible(".finding") == 1
    assert "Episode 3" in page.locator(".finding:visible").inner_text()
    page.get_by_label("Search", exact=True).fill("no such words anywhere")
    assert view.visible(".finding") == 0
    assert page.locator("#no-match").is_visible()
    assert view.visible("#listing-table tbody tr") == 0
    page.get_by_label("Search", exact=True).fill("")
    assert view.visible(".finding") == 10

    shot = tmp_path / "seed-report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_rule_filter_and_accepted_toggle(open_report):
    view = open_report(load("multi"))
    page = view.page
    page.get_by_label("Rule", exact=True).select_option("LA101")
    assert view.visible(".finding") == 1
    page.get_by_label("Rule", exact=True).select_option("")
    assert view.visible(".finding") == 7
    page.get_by_label("Show baselined and waived").uncheck()
    assert view.visible(".finding") == 5
    assert view.visible(".finding[data-status=waived]") == 0


def test_listing_table_sorts(open_report):
    view = open_report(load("multi"))
    page = view.page
    table = page.locator("#listing-table")
    first_cell = table.locator("tbody tr").first.locator("td").first
    # Worst first: listings with errors before those without, then by errors, warnings, info.
    titles = table.locator("tbody tr td:first-child").all_inner_texts()
    assert titles == ["Race to Mars", "Amélie: 100% | Café, Paris",
                      "fixtures/broken.json (whole file)", "Night Shift <script>alert(1)</script>"]
    page.get_by_role("button", name="Warnings", exact=True).click()
    assert table.locator("th", has_text="Warnings").get_attribute("aria-sort") == "descending"
    assert first_cell.inner_text() == "Night Shift <script>alert(1)</script>"
    page.get_by_role("button", name="Listing", exact=True).click()
    titles = table.locator("tbody tr td:first-child").all_inner_texts()
    assert titles == sorted(titles, key=str.lower)


def test_listing_text_runs_nothing(open_report):
    # With the Content-Security-Policy bypassed, only escaping stands between the page and
    # the payloads in the sample's titles and synopses.
    for bypass in (True, False):
        view = open_report(load("multi"), name=f"xss-{bypass}.html", bypass_csp=bypass)
        page = view.page
        page.wait_for_timeout(200)  # give an onerror handler the chance it must not get
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("img").count() == 0
        assert page.locator("script").count() == 1
        heading = page.locator(".listing h3", has_text="Night Shift")
        assert heading.inner_text() == "Night Shift <script>alert(1)</script>"
        assert page.get_by_text("<img src=x onerror=alert(1)>", exact=False).first.is_visible()


def test_deep_links_reveal_their_target(open_report):
    view = open_report(load("seed"))
    page = view.page
    target = page.locator(".finding[data-rule=LA101]")
    anchor = target.get_attribute("id")
    page.get_by_label("Search", exact=True).fill("episode 3")
    assert not target.is_visible()
    page.evaluate(f"location.hash = '#{anchor}'")
    target.wait_for(state="visible")
    assert page.get_by_label("Search", exact=True).input_value() == ""
    # A rule without findings sits in a closed <details> that the link opens.
    page.evaluate("location.hash = '#rule-LA603'")
    page.locator("#rule-LA603").wait_for(state="visible")


def test_keyboard(open_report):
    view = open_report(load("seed"))
    page = view.page
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("placeholder")
    assert view.visible(".finding") == 4
    page.get_by_label("Search", exact=True).fill("")
    # A rule explanation opens from the keyboard.
    summary = page.locator(".finding[data-rule=LA101] summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".finding[data-rule=LA101] details").get_attribute("open") is not None


def test_fits_a_phone_and_prints_without_controls(open_report, tmp_path):
    view = open_report(load("multi"), viewport=PHONE)
    page = view.page
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(tmp_path / "phone.png"))
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert page.locator(".finding[data-rule=LA101]").is_visible()


def test_docs_screenshot(open_report, tmp_path):
    """Writes docs/report-screenshot.png when SAVE_DOCS_SCREENSHOT=1 (else only under tmp)."""
    view = open_report(load("seed"), viewport={"width": 1200, "height": 1500})
    shot = tmp_path / "report-screenshot.png"
    view.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("SAVE_DOCS_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / "docs" / "report-screenshot.png")



def test_real_cli_seed_report(open_report, tmp_path):
    """The HTML the CLI itself writes for the seed page: totals, the three errors, evidence."""
    if importlib.util.find_spec("audit.cli") is None or not (ROOT / SEED_PAGE).exists():
        pytest.skip("the listing-audit CLI or fixtures/race-to-mars.txt is not available")
    runs = {}
    for fmt in ("json", "html"):
        output = tmp_path / f"cli-report.{fmt}"
        done = subprocess.run(
            [sys.executable, "-c", "from audit.cli import entry; entry()", "check", SEED_PAGE,
             "--format", fmt, "--output", str(output), "--as-of", "2026-11-24"],
            cwd=ROOT, capture_output=True, encoding="utf-8")
        assert done.returncode == 1, done.stderr  # the seed page has errors
        runs[fmt] = output
    report = json.loads(runs["json"].read_text(encoding="utf-8"))
    view = open_report(runs["html"])
    page = view.page
    totals = report["summary"]["findings"]
    assert " ".join(page.locator("#totals").inner_text().split()) == (
        f"{totals['error']} errors {totals['warning']} warnings {totals['info']} info")
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert sorted(f["rule"] for f in errors) == ["LA101", "LA201", "LA301"]
    for finding in errors:
        element = page.locator(f".finding[data-rule={finding['rule']}]")
        assert element.is_visible()
        for evidence in finding["evidence"]:
            assert element.locator("mark", has_text=evidence["text"]).first.is_visible()
    page.locator("#filters input[value=warning]").uncheck()
    assert view.visible(".finding[data-severity=warning]") == 0
    page.screenshot(path=str(tmp_path / "cli-report.png"), full_page=True)


def _large_report(count: int) -> dict:
    """A catalogue-sized report: `count` findings over 4 files, a tenth of them errors."""
    report = load("seed")
    findings = []
    for n in range(count):
        row = (n * 7919) % 5000
        severity = "error" if n % 10 == 0 else "warning" if n % 3 else "info"
        path = f"catalogue-{row % 4}.csv"
        findings.append({
            "rule": "LA101" if severity == "error" else "LA501",
            "name": "episode-count-conflict" if severity == "error" else "placeholder-title",
            "severity": severity, "message": f"Finding number {n} about title {row}",
            "path": path, "line": row + 2, "column": 1,
            "listing": {"id": f"{path}#{row}", "title": f"Title {row}", "key": f"s{row}"},
            "evidence": [{"path": path, "line": row + 2, "column": 1, "text": f"text {n}",
                          "field": "title", "value": f"text {n}"}],
            "fingerprint": hashlib.sha256(str(n).encode()).hexdigest(), "status": "active"})
    findings.sort(key=lambda f: (f["path"], f["line"], f["rule"]))
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    report["summary"].update(findings=counts, failing=counts["error"], files=4)
    report["findings"] = findings
    return report


def test_large_report_pages_worst_first_and_filters_all_findings(open_report):
    report = _large_report(2500)
    view = open_report(report)
    page = view.page
    assert view.visible(".finding") == 100  # one page in the document, not 2,500
    assert page.locator(".finding").first.get_attribute("data-severity") == "error"
    pager = page.locator("#finding-pager")
    assert "page 1 of 25" in pager.inner_text()
    first = page.locator(".finding").first.get_attribute("id")
    pager.get_by_role("button", name="Next").click()
    assert "page 2 of 25" in pager.inner_text()
    assert view.visible(".finding") == 100 and page.locator(f"#{first}").count() == 0
    # The filters work on every finding, not only the page shown.
    page.get_by_label("Search", exact=True).fill("finding number 2345 ")
    assert view.visible(".finding") == 1
    assert page.locator("#shown").inner_text() == "Showing 1 of 2500 findings"
    assert view.visible("#listing-table tbody tr") == 1
    page.get_by_label("Search", exact=True).fill("")
    page.get_by_label("Warnings (", exact=False).uncheck()
    page.locator("#filters input[value=info]").uncheck()
    errors = report["summary"]["findings"]["error"]
    assert page.locator("#shown").inner_text() == f"Showing {errors} of 2500 findings"
    assert page.locator(".finding[data-severity=warning]").count() == 0
    # The listings table holds only listings with findings, a page at a time, sorted as a whole.
    table = page.locator("#listing-table")
    assert table.locator("tbody tr").count() == 50
    page.get_by_role("button", name="Total", exact=True).click()
    totals = [int(t) for t in table.locator("tbody tr td:last-child").all_inner_texts()]
    assert totals == sorted(totals, reverse=True)
    page.locator("#listing-pager").get_by_role("button", name="Next").click()
    assert "page 2 of" in page.locator("#listing-pager").inner_text()


def test_deep_link_to_a_finding_on_a_later_page(open_report):
    report = _large_report(1500)
    view = open_report(report)
    page = view.page
    last = html._finding_anchor(report["findings"][-1]["fingerprint"], 1)
    assert page.locator(f"#{last}").count() == 0
    page.get_by_label("Search", exact=True).fill("nothing matches this")
    page.evaluate(f"location.hash = '#{last}'")
    page.locator(f"#{last}").wait_for(state="visible")
    assert page.get_by_label("Search", exact=True).input_value() == ""


def test_a_roll_up_shows_count_share_examples_and_its_rows_on_click(open_report):
    report = load("seed")
    rows = [{"line": n, "listing": f"netflix:s{n}", "text": ""} for n in range(2, 335)]
    report["findings"] = [{
        "rule": "LA601", "name": "missing-field", "severity": "error",
        "message": "date added is empty: 333 of 1,081 rows of date_added (31%)",
        "path": "titles.csv", "line": 2, "column": 40, "listing": None,
        "evidence": [{"path": "titles.csv", "line": r["line"], "column": 40, "text": "",
                      "field": "date_added", "value": ""} for r in rows[:5]],
        "scope": "column", "field": "date_added", "count": 333, "total": 1081,
        "share": 0.308, "rows": rows, "fingerprint": "ab" * 32, "status": "active"}]
    report["summary"].update(findings={"error": 1, "warning": 0, "info": 0}, failing=1)
    view = open_report(report)
    page = view.page
    finding = page.locator(".finding[data-rule=LA601]")
    assert "333 of 1,081 rows" in finding.inner_text() and "(31%)" in finding.inner_text()
    assert finding.locator(".evidence > li").count() == 5
    finding.get_by_text("All 333 affected rows").click()
    # The rows are drawn by the details' toggle event, which fires after the click returns.
    finding.locator(".rows-table tbody tr").first.wait_for()
    assert finding.locator(".rows-table tbody tr").count() == 333
    assert "netflix:s334" in finding.locator(".rows-table").inner_text()


@pytest.mark.parametrize("name", ["seed", "multi"])
def test_the_script_renders_what_the_page_was_written_with(open_report, name):
    """The first page is written by html.py and re-rendered by report.js after a filter
    change: both must give the same markup, or filtered pages would look different."""
    view = open_report(load(name), name=f"{name}.html")
    page = view.page
    written = page.inner_html("#finding-list")
    box = page.locator("#filters input[value=info]")
    box.uncheck()
    box.check()
    assert page.inner_html("#finding-list") == written
