"""Benchmark: the HTML report of a large catalogue run, opened in headless Chromium.

    python benchmarks/bench_report.py [FINDINGS] [--keep FILE]

Builds a synthetic report of FINDINGS findings (default 100,000) spread the way a real
catalogue run spreads them (an 8,807-row catalogue in a few files, most listings with a few
findings, some rules on many rows, errors a minority), renders it with the HTML format, and
prints the file size, the time to render it in Python, and in Chromium (Playwright, the
browser at /usr/bin/chromium or $LISTING_AUDIT_CHROMIUM) the time until the first finding is
on screen, the page's load event, and the time a severity filter and a search take to show
their result. A script, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.report import html  # noqa: E402

CHROMIUM = Path(os.environ.get("LISTING_AUDIT_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

RULES = [  # id, name, severity, share of the findings
    ("LA601", "missing-field", "error", 0.30),
    ("LA504", "encoding-damage", "warning", 0.20),
    ("LA505", "stray-whitespace", "info", 0.20),
    ("LA507", "dangling-separator", "info", 0.12),
    ("LA506", "spreadsheet-mangled", "warning", 0.08),
    ("LA602", "misplaced-value", "error", 0.05),
    ("LA203", "duplicate-listing", "warning", 0.03),
    ("LA101", "episode-count-conflict", "error", 0.02),
]
LIMIT = 180  # seconds to wait for the browser before giving up
FIELDS = ["date_added", "description", "cast", "country", "rating", "duration", "listed_in"]


def synthetic_report(total: int) -> dict:
    files = [f"catalogues/service-{i}.csv" for i in range(4)]
    rows = 8807
    findings = []
    serial = 0
    for rule_id, name, severity, share in RULES:
        for n in range(int(total * share) + (1 if rule_id == "LA101" else 0)):
            if len(findings) >= total:
                break
            row = (serial * 7919) % rows
            serial += 1
            path = files[row % len(files)]
            field = FIELDS[n % len(FIELDS)]
            line = row + 2
            text = f"Title {row} - {field} value with some text to quote, row {row}"
            findings.append({
                "rule": rule_id, "name": name, "severity": severity,
                "message": f"{field} of “Title {row}” is not as it should be ({rule_id})",
                "path": path, "line": line, "column": 1 + n % 40,
                "listing": {"id": f"{path}#{row}", "title": f"Title {row}", "key": f"s{row}"},
                "evidence": [{"path": path, "line": line, "column": 1 + n % 40, "text": text,
                              "field": field, "value": text, "source": "field"}],
                "fingerprint": f"{serial:064x}", "status": "active",
            })
    findings.sort(key=lambda f: (f["path"], f["line"], f["rule"]))
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    rules = [{"id": r, "name": n, "severity": s, "summary": f"{n} summary.",
              "rationale": f"Why {n} matters.", "example": "an example"} for r, n, s, _ in RULES]
    return {
        "schema_version": 1, "tool": {"name": "listing-audit", "version": "bench"},
        "as_of": "2026-11-24", "inputs": ["catalogues"],
        "summary": {"files": len(files), "skipped": 0, "listings": rows, "episodes": 0,
                    "findings": counts, "failing": counts["error"], "fail_on": "error"},
        "files": [{"path": p, "format": "csv", "status": "read", "listings": rows // 4,
                   "episodes": 0} for p in files],
        "rules": rules, "findings": findings,
    }


def main() -> None:
    argv = sys.argv[1:]
    keep = None
    if "--keep" in argv:
        keep = Path(argv[argv.index("--keep") + 1])
        del argv[argv.index("--keep"):argv.index("--keep") + 2]
    total = int(argv[0]) if argv else 100_000
    report = synthetic_report(total)
    start = time.perf_counter()
    page_html = html.render(report)
    rendered = time.perf_counter() - start
    path = keep or Path(tempfile.mkdtemp()) / "report.html"
    path.write_text(page_html, encoding="utf-8")
    size = path.stat().st_size
    print(f"findings            {len(report['findings']):>10,}")
    print(f"HTML size           {size / 1e6:>10.1f} MB")
    print(f"render (Python)     {rendered:>10.2f} s")

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit", timeout=LIMIT * 1000)
        page.locator(".finding").first.wait_for(state="visible", timeout=LIMIT * 1000)
        first = time.perf_counter() - start
        print(f"first finding shown {first:>10.2f} s", flush=True)
        try:
            page.wait_for_load_state("load", timeout=LIMIT * 1000)
        except PlaywrightTimeout:
            print(f"load event          > {LIMIT} s (gave up)")
            browser.close()
            return
        loaded = time.perf_counter() - start
        elements = page.evaluate("document.getElementsByTagName('*').length")
        print(f"load event          {loaded:>10.2f} s")
        print(f"DOM elements        {elements:>10,}")
        # One filter change and one search, each timed until the next frame is painted.
        measure = """async (action) => {
            const t0 = performance.now();
            if (action === 'severity') {
                const box = document.querySelector('#filters input[value=warning]');
                box.checked = !box.checked;
                box.dispatchEvent(new Event('change', {bubbles: true}));
            } else {
                const q = document.querySelector('#filter-q');
                q.value = action;
                q.dispatchEvent(new Event('input', {bubbles: true}));
            }
            await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
            return (performance.now() - t0) / 1000;
        }"""
        for label, action in (("filter (severity)", "severity"), ("search", "title 4711"),
                              ("clear search", "")):
            spent = page.evaluate(measure, action)
            print(f"{label:20s}{spent:>10.2f} s   ({page.locator('#shown').inner_text()})")
        browser.close()


if __name__ == "__main__":
    main()
