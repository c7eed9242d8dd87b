"""How the run is computed at scale (process pool, linear linking) never changes what it finds."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from audit.pipeline import POOL_MIN_FILES, audit
from audit.ruleset import load_rules

from conftest import FIXTURES, SEED


def _report(run) -> list[str]:
    return [json.dumps(f.to_dict(), sort_keys=True) for f in run.findings]


def test_findings_identical_whatever_the_worker_count(tmp_path):
    # Enough pages for the pool, each a copy of a defective page, plus one catalogue table
    # (read in this process) whose episodes link to listings of another file.
    pages = [SEED, *sorted((FIXTURES / "pages").glob("*.txt"))]
    for i in range(POOL_MIN_FILES + 6):
        shutil.copy(pages[i % len(pages)], tmp_path / f"page-{i:03d}.txt")
    for name in ("mapped-titles.csv", "mapped-episodes.csv"):
        shutil.copy(FIXTURES / "formats" / name, tmp_path / name)
    rules = load_rules(None)
    runs = [audit([str(tmp_path)], rules, as_of=dt.date(2026, 11, 24), workers=n,
                  mapping=_mapping()) for n in (1, 2, 3)]
    assert runs[0].findings, "the pages are defective: the comparison must compare findings"
    assert _report(runs[0]) == _report(runs[1]) == _report(runs[2])
    assert runs[0].files == runs[1].files == runs[2].files


def _mapping():
    from audit.ingest.mapping import load_mapping
    return load_mapping(FIXTURES / "formats" / "mapping.yaml")
