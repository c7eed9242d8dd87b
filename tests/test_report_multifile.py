"""Every format on a real multi-file run: the seed, two clean pages and an unreadable file."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.pipeline import audit
from audit.report import render
from audit.result import to_report
from audit.ruleset import load_rules
from conftest import AS_OF, ROOT
from reportcases import check_golden

INPUTS = ["fixtures/race-to-mars.txt", "fixtures/pages", "fixtures/formats/malformed.json"]
SUFFIX = {"terminal": "txt", "json": "json", "html": "html", "sarif": "sarif", "junit": "xml",
          "markdown": "md", "github": "github.txt"}


@pytest.fixture(scope="module")
def multi_report() -> dict:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        run = audit(INPUTS, load_rules(), as_of=dt.date.fromisoformat(AS_OF))
    return to_report(run)


def test_the_run_covers_read_clean_and_skipped_files(multi_report):
    files = {f["path"]: f["status"] for f in multi_report["files"]}
    assert files == {"fixtures/formats/malformed.json": "skipped",
                     "fixtures/pages/harbour-lights.txt": "read",
                     "fixtures/pages/the-long-winter.txt": "read",
                     "fixtures/race-to-mars.txt": "read"}
    assert {f["rule"] for f in multi_report["findings"] if f["path"].startswith("fixtures/pages")} == set()


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden_multi_file_run(multi_report, fmt):
    check_golden(f"cli-multi.{SUFFIX[fmt]}", render(multi_report, fmt))
