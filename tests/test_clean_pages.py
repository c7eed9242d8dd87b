"""False positives are defects: ordinary, correct pages yield no error and no warning."""

from __future__ import annotations

import pytest

from conftest import AS_OF, FIXTURES

# The HTML page is the-long-winter.txt as a site would serve it (JSON-LD and markup); it lives
# apart so that runs over fixtures/pages do not see one listing twice.
CLEAN_PAGES = sorted([*(FIXTURES / "pages").glob("*.txt"), *(FIXTURES / "clean-html").glob("*.html")])


@pytest.mark.parametrize("page", CLEAN_PAGES, ids=[p.name for p in CLEAN_PAGES])
def test_clean_page_has_no_error_or_warning(cli, page):
    result = cli("check", page, "--format", "json", "--as-of", AS_OF, "--fail-on", "warning")
    report = result.json()
    noisy = [(f["rule"], f["message"]) for f in report["findings"] if f["severity"] != "info"]
    assert noisy == []
    assert result.code == 0
    assert report["summary"]["episodes"] > 0


def test_clean_pages_exist():
    assert len(CLEAN_PAGES) >= 3
