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


def test_claims_handed_over_to_the_tables_are_read_again_when_an_input_must_be_isolated(
        tmp_path, monkeypatch):
    # The whole run builds its claims table from the readers' frames and empties them (a
    # catalogue's claims are not held twice). When a rule then breaks on one input (a
    # defect of this tool), every input is evaluated alone: the others must still have
    # their claims, so they find what they find in a run of their own.
    from audit import pipeline

    for name in ("mapped-titles.csv", "mapped-episodes.csv"):
        shutil.copy(FIXTURES / "formats" / name, tmp_path / name)
    broken = tmp_path / "broken.txt"
    shutil.copy(SEED, broken)
    rules = load_rules(None)
    as_of = dt.date(2026, 11, 24)
    catalogue = [str(tmp_path / "mapped-titles.csv"), str(tmp_path / "mapped-episodes.csv")]
    alone = audit(catalogue, rules, as_of=as_of, mapping=_mapping())
    assert alone.findings and not [f for f in alone.findings if f.rule == "LA001"]
    assert len(alone.tables.claims) > 20
    from audit.ingest import collect
    (titles,), _ = collect(catalogue[:1])
    assert pipeline.read_input(titles, None, _mapping()).claim_frames  # read by column: handed over

    real = pipeline.run_rules
    handed_over = []

    def breaks_on_the_page(rules, tables, **kwargs):
        handed_over.append(tables)
        if tables.claims["path"].astype("str").eq(str(broken)).any():
            raise RuntimeError("a defect")
        return real(rules, tables, **kwargs)

    monkeypatch.setattr(pipeline, "run_rules", breaks_on_the_page)
    run = audit([*catalogue, str(broken)], rules, as_of=as_of, mapping=_mapping())
    isolated = [f for f in run.findings if f.rule == "LA001"]
    assert [f.path for f in isolated] == [str(broken)]
    assert _report(alone) == [line for line in _report(run) if '"LA001"' not in line]
    assert len(run.tables.claims) == len(alone.tables.claims)
    assert len(handed_over) == 5  # the whole run, each of its three inputs alone, the run without the page


def test_standard_input_is_read_once_even_when_the_inputs_are_read_again(tmp_path, monkeypatch):
    # Isolating an input that breaks a rule reads the inputs again (above); standard input
    # cannot be read twice, so its findings must come from the bytes read the first time.
    import io

    from audit import pipeline

    broken = tmp_path / "broken.txt"
    shutil.copy(SEED, broken)
    rules = load_rules(None)
    real = pipeline.run_rules

    def breaks_on_the_file(rules, tables, **kwargs):
        if tables.claims["path"].astype("str").eq(str(broken)).any():
            raise RuntimeError("a defect")
        return real(rules, tables, **kwargs)

    monkeypatch.setattr(pipeline, "run_rules", breaks_on_the_file)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    run = audit(["-", str(broken)], rules, as_of=dt.date(2026, 11, 24))
    assert [f.path for f in run.findings if f.rule == "LA001"] == [str(broken)]
    from_stdin = {f.rule for f in run.findings if f.path != str(broken)}
    assert {"LA101", "LA201", "LA301"} <= from_stdin
