"""The audit on Dask (`check --workers N`, `--scheduler`): the same bytes in every report as one
process, whatever the workers and partitions; clear one-line errors; no Dask without asking."""

from __future__ import annotations

import json

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audit.cli import main
from audit.ingest import Source
from audit.partitioned import plan as planning
from conftest import AS_OF, FIXTURES, ROOT, SHARED

REPORTS = (".json", ".html", ".sarif", ".xml", ".md")


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of 2 worker processes, started once for the module: its address."""
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address="127.0.0.1:0", host="127.0.0.1",
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def _run(capsys, tmp: Path, name: str, *args: str) -> dict[str, bytes]:
    """Every report of one run: standard output (terminal, plain) and each report file."""
    out = tmp / name
    out.mkdir()
    capsys.readouterr()
    code = main(["check", *args, "--as-of", AS_OF, "--no-config", "--fail-on", "never",
                 *[a for ext in REPORTS for a in ("--report", str(out / f"report{ext}"))]])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    reports = {ext: (out / f"report{ext}").read_bytes() for ext in REPORTS}
    reports["terminal"] = captured.out.encode()
    return reports


def _rules_found(reports: dict[str, bytes]) -> set[str]:
    """The rules of the JSON report's findings (its rule list names every rule run)."""
    return {finding["rule"] for finding in json.loads(reports[".json"])["findings"]}


def _catalogue(tmp: Path) -> Path:
    """A CSV and a JSONL catalogue large enough to split into several line ranges, and a
    Parquet one of several small row groups: the fixtures' rows repeated under new ids (so
    listings repeat across partitions: LA203 compares them), with a quoted cell spanning
    lines and CRLF line breaks in the CSV."""
    folder = tmp / "inputs"
    folder.mkdir()
    header, *rows = (FIXTURES / "formats" / "catalogue.csv").read_text("utf-8").splitlines()
    lines = [header]
    for copy in range(12):
        for row in rows:
            ident, rest = row.split(",", 1)
            lines.append(f"{ident}x{copy},{rest}")
        lines.append(f's9{copy},Movie,Drift {copy},,,,"May 1, 2020",2019,PG,90 min,Dramas,'
                     f'"A line\r\nthat goes on, quoted {copy}."')
    (folder / "catalogue.csv").write_bytes("\r\n".join(lines).encode() + b"\r\n")
    records = (FIXTURES / "formats" / "catalogue.jsonl").read_text("utf-8").splitlines()
    jsonl = [r.replace('"acme:', f'"acme{copy}:') for copy in range(12) for r in records]
    (folder / "catalogue.jsonl").write_text("\n".join(jsonl) + "\n", "utf-8")
    _parquet(folder / "catalogue.parquet", [header, *rows], copies=6, row_group_size=6)
    return folder


def _parquet(path: Path, lines: list[str], *, copies: int, row_group_size: int) -> None:
    """The CSV lines' rows as a Parquet table, `copies` times under new ids, the year a
    number (as a pipeline writes it) and a short row's missing cells null."""
    import csv

    import pyarrow as pa
    import pyarrow.parquet as pq

    header, *rows = list(csv.reader(lines))
    columns: dict[str, list] = {name: [] for name in header}
    for copy in range(copies):
        for row in rows:
            cells = (row + [None] * len(header))[:len(header)]
            for name, cell in zip(header, cells):
                columns[name].append(f"{cell}p{copy}" if name == "show_id" else cell)
    columns["release_year"] = [int(v) if v and v.isdigit() else None
                               for v in columns["release_year"]]
    pq.write_table(pa.table(columns), path, row_group_size=row_group_size)


def test_every_report_identical_on_one_process_two_workers_and_a_cluster(
        capsys, tmp_path, monkeypatch, scheduler):
    inputs = _catalogue(tmp_path)
    # Each task runs every rule (a second or two on a loaded machine): few, but several.
    monkeypatch.setenv("LISTING_AUDIT_PARTITION_BYTES", "5000")
    monkeypatch.setattr("audit.partitioned.MIN_TASK_BYTES", 16 * 1024)
    args = [str(FIXTURES), str(inputs)]
    single = _run(capsys, tmp_path, "single", *args)
    workers = _run(capsys, tmp_path, "workers", *args, "--workers", "2")
    cluster = _run(capsys, tmp_path, "cluster", *args, "--scheduler", scheduler)
    assert "LA203" in _rules_found(single), "listings repeated across partitions are compared"
    for kind in single:
        assert workers[kind] == single[kind], kind
        assert cluster[kind] == single[kind], kind
    names = ("catalogue.csv", "catalogue.jsonl", "catalogue.parquet")
    parts = planning.partitions([Source(str(inputs / n), inputs / n) for n in names], [], None,
                                5000)
    assert all(p.parts > 1 for p in parts), "the comparison split the files"
    assert sum(p.row_groups is not None for p in parts) >= 2, "into row-group ranges too"


REAL = SHARED / "data" / "real"


@pytest.mark.shared
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent (bare clone)")
def test_real_data_identical_on_a_cluster_in_small_partitions(capsys, tmp_path, monkeypatch,
                                                              scheduler):
    monkeypatch.chdir(SHARED)
    # The two large CSVs in 2 and 4 line ranges; the smaller files in a few tasks.
    monkeypatch.setenv("LISTING_AUDIT_PARTITION_BYTES", str(192 * 1024))
    monkeypatch.setattr("audit.partitioned.MIN_TASK_BYTES", 192 * 1024)
    single = _run(capsys, tmp_path, "single", "data/real")
    cluster = _run(capsys, tmp_path, "cluster", "data/real", "--scheduler", scheduler)
    assert "LA203" in _rules_found(single) and b'"scope": "column"' in single[".json"]
    for kind in single:
        assert cluster[kind] == single[kind], kind


def test_the_default_install_never_imports_dask(tmp_path):
    code = ("import sys\nfrom audit.cli import main\n"
            f"code = main(['check', {str(FIXTURES / 'race-to-mars.txt')!r}, '-f', 'json'])\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
            "print(code, loaded, file=sys.stderr)\n"
            "sys.exit(3 if loaded else 0)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]


def test_without_dask_installed_the_flags_say_how_in_one_line(cli, monkeypatch):
    for name in ("dask", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    for flag in (["--workers", "2"], ["--scheduler", "tcp://127.0.0.1:8786"]):
        result = cli("check", FIXTURES / "race-to-mars.txt", *flag)
        assert result.code == 2
        assert result.err.count("\n") == 1
        assert "pip install 'listing-audit[dask]'" in result.err
        assert result.out == ""


def test_a_scheduler_that_cannot_be_reached_is_one_line_within_seconds(cli, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:9")  # discard port: closed
    start = time.monotonic()
    result = cli("check", FIXTURES / "race-to-mars.txt")
    assert time.monotonic() - start < 20
    assert result.code == 2
    assert result.err.startswith("listing-audit: error: cannot reach the Dask scheduler at "
                                 "tcp://127.0.0.1:9")
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_a_worker_that_dies_is_replaced_and_the_run_finishes_the_same(
        capsys, tmp_path, monkeypatch, scheduler):
    distributed = pytest.importorskip("distributed")
    marker = tmp_path / "died"

    class DieOnce(distributed.WorkerPlugin):
        """Kills its worker process as it starts the first audit task of the run."""

        def __init__(self, marker: str):
            self.marker = marker

        def transition(self, key, start, finish, **kwargs):
            name = key if isinstance(key, str) else str(key)
            if finish == "executing" and "evaluate" in name and not os.path.exists(self.marker):
                open(self.marker, "w").close()
                os._exit(1)

    single = _run(capsys, tmp_path, "single", str(FIXTURES))
    with distributed.Client(scheduler, set_as_default=False) as client:
        client.register_plugin(DieOnce(str(marker)), name="die-once")
        try:
            again = _run(capsys, tmp_path, "again", str(FIXTURES), "--scheduler", scheduler)
        finally:
            client.unregister_worker_plugin("die-once")
    assert marker.exists(), "a worker died during the run"
    assert again == single


def test_line_ranges_cut_only_outside_quoted_cells_and_read_as_the_file(tmp_path):
    text = 'id,title,kind,description\r\n' + "".join(
        f'{i},Show {i},movie,"Two\r\nlines, {i}"\r\n' if i % 3 == 0 else f"{i},Show {i},movie,plain\r\n"
        for i in range(200))
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    parts = planning.partitions([Source("t.csv", path)], [], None, 300)
    assert len(parts) > 5
    data = path.read_bytes()
    for part in parts:
        body = data[part.start:part.end]
        assert data.count(b'"', 0, part.start) % 2 == 0
        padded = planning.padded(part, data[:part.header], body).decode()
        first, end = part.lines
        lines = padded.split("\r\n")
        assert lines[0] == "id,title,kind,description"
        assert lines[first - 1] == text.split("\r\n")[first - 1]
    assert parts[0].lines[0] == 2 and parts[-1].end == len(data)
    assert [p.lines[1] for p in parts[:-1]] == [p.lines[0] for p in parts[1:]]


@pytest.mark.parametrize("name, content", [
    ("bom.jsonl", b"\xef\xbb\xbf" + b'{"id": "a", "title": "A"}\n' * 50),
    ("lone-cr.csv", b"id,title,kind\r" + b"1,A,movie\r" * 50),
    ("latin1.csv", "id,title,kind\n".encode() + "1,Caf\u00e9,movie\n".encode("latin-1") * 50),
    ("feed.json", b'[' + b'{"id": "a", "title": "A"},\n' * 50 + b'{"id": "b"}]'),
])
def test_files_that_might_read_differently_in_parts_are_read_whole(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    [part] = planning.partitions([Source(name, path)], [], None, 100)
    assert part.lines is None


def test_progress_counts_the_partitions_as_the_dask_tasks_end(scheduler):
    import datetime as dt

    import distributed

    from audit.pipeline import audit
    from audit.progress import Progress
    from audit.ruleset import load_rules

    class Recorded(Progress):
        """What the bar was told; drawing is rich's (and timed by its refresh thread)."""

        def __init__(self):
            super().__init__(enabled=False)
            self.told: list[tuple[str, int | None, int]] = []

        def stage(self, description, total=None):
            self.told.append((description, total, 0))

        def advance(self, steps=1):
            description, total, done = self.told[-1]
            self.told[-1] = (description, total, done + steps)

    progress = Recorded()
    with distributed.Client(scheduler, set_as_default=False) as client:
        audit([str(FIXTURES / "pages")], load_rules(None), as_of=dt.date(2026, 11, 24),
              client=client, progress=progress)
    stages = {description: (total, done) for description, total, done in progress.told}
    # the two pages, counted as their tasks ended
    assert stages["reading partitions"] == (2, 2)
    assert stages["auditing partitions"] == (2, 2)


def test_a_check_that_read_the_date_in_one_partition_dates_its_findings_in_all():
    # LA101's consistency check reads the audit date only when some listing lists fewer
    # episodes than it states; one process then dates all of that check's messages, so a
    # partition where it did not need the date must not leave its findings undated.
    import datetime as dt

    from audit.engine import Hits, finish
    from audit.model import Evidence, Finding, Severity
    from audit.rollup import ColumnCounts
    from audit.ruleset import load_rules

    rules = load_rules(None)

    def finding(listing: str) -> Finding:
        return Finding(rule=rules[0].id, name=rules[0].name, severity=Severity.ERROR,
                       message="counts disagree", path="a.csv", listing_id=listing,
                       evidence=[Evidence(path="a.csv", line=2, column=1, text="8",
                                          field="episode_count", value=8)])

    merged = Hits([(0, 0, finding("a.csv#1"))], {(0, 0)}) + Hits([(0, 0, finding("a.csv#2"))])
    messages = [f.message for f in finish(merged, rules, None, as_of=dt.date(2026, 11, 24),
                                          counts=ColumnCounts())]
    assert messages == ["counts disagree (as of 2026-11-24)"] * 2


def test_a_file_split_so_that_each_part_holds_one_listing_is_still_one_catalogue():
    """A file of several listings is a catalogue of its own (LA203 compares titles within a
    catalogue), even when every partition of it holds only one of them: the driver tells
    build_tables how many listings each split file holds in whole."""
    from audit.ingest.base import Builder
    from audit.tables import build_tables

    def part(*titles: str) -> Builder:
        builder = Builder("titles.csv", "csv")
        for line, title in enumerate(titles, 2):
            builder.listing(title, line=line, key=title, kind="movie", year=2019)
        return builder

    def catalogues(**kwargs) -> list[str]:
        return build_tables([part("Drift").result()], **kwargs).listings["catalogue"].tolist()

    assert catalogues() == [""], "one listing alone: the run's loose catalogue"
    assert catalogues(listings_per_file={"titles.csv": 2}) == ["titles.csv"]
    assert build_tables([part("Drift", "Tide").result()]).listings[
        "catalogue"].tolist() == ["titles.csv", "titles.csv"], "as when read whole"


def test_a_parquet_file_splits_between_row_groups_and_each_range_keeps_its_row_numbers(tmp_path):
    from audit.ingest.parquet import RowGroups
    from audit.partitioned.tasks import read_partition
    from audit.pipeline import read_input

    lines = (FIXTURES / "formats" / "catalogue.csv").read_text("utf-8").splitlines()
    path = tmp_path / "t.parquet"
    _parquet(path, lines, copies=4, row_group_size=5)
    parts = planning.partitions([Source("t.parquet", path)], [], None, 2000)
    groups = [p.row_groups for p in parts]
    assert len(groups) > 2 and groups[0].first == 0 and groups[-1].end == 6
    assert [g.end for g in groups[:-1]] == [g.first for g in groups[1:]]
    whole = read_input(Source("t.parquet", path), None)
    read = [read_partition(p, None) for p in parts]
    # the same rows at the same row numbers (listing ids are renumbered when audited)
    assert [c["line"] for r in read for c in r.listings] == [c["line"] for c in whole.listings]
    assert sum(len(r.listings) for r in read) == len(whole.listings) == 28
    # one row group, or a file that is not Parquet, is read whole
    one = tmp_path / "one.parquet"
    _parquet(one, lines, copies=4, row_group_size=100)
    fake = tmp_path / "fake.parquet"
    fake.write_bytes(b"PAR1" + b"x" * 5000)
    for name in (one, fake):
        [part] = planning.partitions([Source(name.name, name)], [], None, 100)
        assert part.row_groups is None and part.lines is None
    assert isinstance(groups[0], RowGroups)


def _crashing_duplicate(monkeypatch, title: str) -> None:
    """The duplicate check, catalogue-wide only, broken by one title: a stand-in for a defect
    of this tool that one file's rows trigger (the driver runs catalogue-wide checks, so
    patching this process patches a Dask run's too)."""
    from audit.checks import duplicate

    real = duplicate.run

    def run(tables, params, ctx):
        if duplicate.scope(params) == "catalogue" and (tables.listings["title"] == title).any():
            raise ValueError("boom on a title")
        return real(tables, params, ctx)

    monkeypatch.setattr(duplicate, "run", run)


def _crash_inputs(tmp: Path, monkeypatch) -> Path:
    """crash.csv, cut into three line ranges (audited in different units), one of its rows
    titled "Crash Me"; other.csv beside it."""
    inputs = tmp / "inputs"
    inputs.mkdir()
    header, *rows = (FIXTURES / "formats" / "catalogue.csv").read_text("utf-8").splitlines()
    crash = [header] + [f"{r.split(',', 1)[0]}c{i},{r.split(',', 1)[1]}"
                        for i in range(3) for r in rows]
    crash.insert(9, "c9,Movie,Crash Me,,,,\"May 1, 2020\",2019,PG,90 min,Dramas,A film.")
    (inputs / "crash.csv").write_text("\n".join(crash) + "\n", "utf-8")
    (inputs / "other.csv").write_text("\n".join([header, *rows]) + "\n", "utf-8")
    monkeypatch.setenv("LISTING_AUDIT_PARTITION_BYTES", "1000")
    monkeypatch.setattr("audit.partitioned.MIN_TASK_BYTES", 1000)
    assert len(planning.partitions([Source("crash.csv", inputs / "crash.csv")], [], None,
                                   1000)) >= 3
    return inputs


def _crash_reported(report: dict[str, bytes], inputs: Path) -> None:
    """crash.csv is one LA001 (its other rows are not audited), the other files are."""
    findings = json.loads(report[".json"])["findings"]
    [la001] = [f for f in findings if f["rule"] == "LA001"]
    assert la001["path"] == str(inputs / "crash.csv")
    assert "internal error (ValueError: boom on a title)" in la001["message"]
    assert {f["path"] for f in findings if f["rule"] != "LA001"} >= {str(inputs / "other.csv")}
    assert str(inputs / "crash.csv") not in {f["path"] for f in findings if f["rule"] != "LA001"}


def test_a_catalogue_wide_check_broken_by_one_file_is_its_la001_as_in_one_process(
        capsys, tmp_path, monkeypatch):
    inputs = _crash_inputs(tmp_path, monkeypatch)
    _crashing_duplicate(monkeypatch, "Crash Me")
    args = [str(inputs), str(FIXTURES / "pages")]
    single = _run(capsys, tmp_path, "single", *args)
    workers = _run(capsys, tmp_path, "workers", *args, "--workers", "2")
    _crash_reported(single, inputs)
    assert "LA203" in _rules_found(single), "the other files were audited across the catalogue"
    for kind in single:
        assert workers[kind] == single[kind], kind


def _with_broken_range(capsys, tmp: Path, monkeypatch, scheduler: str, value: str,
                       *args: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The reports of one process and of the cluster, with the range check broken (in this
    process and in each worker) wherever a claim's value is `value`."""
    distributed = pytest.importorskip("distributed")

    class BrokenRange(distributed.WorkerPlugin):
        def __init__(self, value: str):
            self.value = value

        def setup(self, worker):
            from audit.checks import range as range_check

            real, value = range_check.run, self.value

            def run(tables, params, ctx):
                if (tables.claims["value"] == value).any():
                    raise ValueError("boom on a title")
                return real(tables, params, ctx)

            run.real = real
            range_check.run = run

        def teardown(self, worker):
            from audit.checks import range as range_check

            range_check.run = getattr(range_check.run, "real", range_check.run)

    from audit.checks import range as range_check

    monkeypatch.setattr(range_check, "run", range_check.run)  # mended after the test
    BrokenRange(value).setup(None)
    single = _run(capsys, tmp, "single", *args)
    with distributed.Client(scheduler, set_as_default=False) as client:
        client.register_plugin(BrokenRange(value), name="broken-range")
        try:
            cluster = _run(capsys, tmp, "cluster", *args, "--scheduler", scheduler)
        finally:
            client.unregister_worker_plugin("broken-range")  # its teardown mends the check
    return single, cluster


def test_a_listing_check_broken_in_one_line_range_makes_the_whole_file_its_la001(
        capsys, tmp_path, monkeypatch, scheduler):
    """One process finds the file that breaks a check, not the part of it: a range's crash
    on a worker takes the file's other ranges, audited in other units, out of the run."""
    inputs = _crash_inputs(tmp_path, monkeypatch)
    single, cluster = _with_broken_range(capsys, tmp_path, monkeypatch, scheduler, "Crash Me",
                                         str(inputs))
    _crash_reported(single, inputs)
    for kind in single:
        assert cluster[kind] == single[kind], kind


def test_gathered_claims_are_in_the_order_one_process_tabulates_them(tmp_path, monkeypatch,
                                                                   scheduler):
    """The catalogue-wide checks read the claims in one process's order (ties on path and
    line keep it), even where a unit (an episodes table with its titles table) spans
    batches that other units sit between, and for the claims tables derive from listed
    episodes (episode counts, first air dates), which one process adds after all others."""
    import datetime as dt
    import shutil

    import distributed
    import pandas as pd

    from audit.ingest.mapping import load_mapping
    from audit.pipeline import audit
    from audit.ruleset import load_rules

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    formats = FIXTURES / "formats"
    shutil.copy(formats / "mapped-titles.csv", inputs / "a-titles.csv")
    shutil.copy(FIXTURES / "race-to-mars.txt", inputs / "b-page.txt")
    shutil.copy(FIXTURES / "pages" / "harbour-lights.txt", inputs / "c-page.txt")
    # A-1's first air date ties with the page b's (same day, same line 31): one process
    # puts b's first, as its air date comes earlier in the run than d's. Z-9, which no
    # title lists, stays with d while A-1's rows join a-titles.csv: their rows interleave.
    (inputs / "d-episodes.csv").write_text("Show Code,Season,Ep,Title,Aired\n" + "".join(
        f"{'Z-9' if n % 4 == 0 else 'A-1'},1,{n},Part {n},"
        f"{'2007-09-23' if n == 30 else f'2021-05-{n % 28 + 1:02d}'}\n"
        for n in range(1, 31)), "utf-8")
    extra = tmp_path / "rules"
    extra.mkdir()
    (extra / "across.yaml").write_text(
        "rules:\n" + "".join(
            f"  - id: LA99{n}\n    name: same-{field.replace('_', '-')}-across\n"
            f"    severity: info\n    summary: One {field} across the catalogue.\n"
            f"    rationale: A test's.\n    example: none\n"
            f"    message: \"{{value}} {{count}} times\"\n"
            f"    check:\n      kind: duplicate\n      table: claims\n      field: {field}\n"
            f"      within: catalogue\n"
            for n, field in enumerate(("episode_title", "episode_count", "first_air_date",
                                       "last_air_date", "season_episode_count"), 1)), "utf-8")
    rules = load_rules([extra])
    monkeypatch.setattr("audit.partitioned.MIN_TASK_BYTES", 1)  # a batch per file
    args = dict(as_of=dt.date(2026, 11, 24), mapping=load_mapping(formats / "mapping.yaml"))
    single = audit([str(inputs)], rules, workers=1, **args)
    with distributed.Client(scheduler, set_as_default=False) as client:
        split = audit([str(inputs)], rules, client=client, part_bytes=1, **args)
    gathered = split.tables.claims
    expected = single.tables.claims[single.tables.claims["field"].isin(
        set(gathered["field"]))].reset_index(drop=True)
    assert {"episode_title", "episode_count", "first_air_date"} <= set(gathered["field"])
    assert gathered["path"].nunique() == 4
    firsts = expected[expected["field"] == "first_air_date"]
    assert firsts.duplicated(["value", "line"]).any(), "two first air dates tie"
    # the same rows in the same order; a categorical may know ids no row uses (linking
    # renames a stand-in's id in the partition that holds it, not in the others)
    pd.testing.assert_frame_equal(gathered.reset_index(drop=True), expected, check_categorical=False)
    assert split.findings == single.findings


def test_claims_of_no_listing_in_two_line_ranges_count_once_in_roll_up_totals():
    """A file's claims that belong to no listing are one row of their column per episode,
    as one process counts them (rollup.column_totals); two partitions that each state one
    must not make it two, or a roll-up's "N of TOTAL rows" and its share would differ."""
    from audit.ingest.base import Builder
    from audit.partitioned.tasks import _renumber
    from audit.rollup import column_counts
    from audit.tables import build_tables

    def part(lines: range, *orphans: int):
        builder = Builder("t.csv", "csv")
        for line in lines:
            listing = builder.listing(f"Show {line}", line=line, key=f"s{line}", kind="movie",
                                      year=2019)
            builder.claim(listing, "content_rating", "PG", source="field", line=line,
                          column=9, text="PG")
        for line in orphans:
            builder.claim(None, "content_rating", "PG", source="field", line=line, column=9,
                          text="PG")
        return builder.result()

    whole = column_counts(build_tables([part(range(2, 12), 5, 8)]))
    first, second = part(range(2, 7), 5), part(range(7, 12), 8)
    _renumber(second, 5)
    split = {"t.csv": 10}
    summed = (column_counts(build_tables([first], listings_per_file=split))
              + column_counts(build_tables([second], listings_per_file=split)))
    assert whole.rows()[("t.csv", "content_rating")] == 11, "ten listings and one row of none"
    assert summed.rows() == whole.rows()
    assert summed.listings == whole.listings


def test_an_episodes_table_is_shuffled_to_the_line_ranges_of_its_titles_table(
        capsys, tmp_path, monkeypatch, scheduler):
    """An episodes table whose shows are listed in a titles table cut into line ranges: each
    show's episodes are audited with the range that lists it (several units, not one), and
    every report is the same as one process's; shows no title lists, and a row naming no
    show, stay with the episodes table."""
    distributed = pytest.importorskip("distributed")
    inputs = _shuffle_inputs(tmp_path, monkeypatch)
    mapping = FIXTURES / "formats" / "mapping.yaml"
    single = _run(capsys, tmp_path, "single", str(inputs), "--mapping", str(mapping))
    with distributed.Client(scheduler, set_as_default=False) as client:
        with distributed.get_task_stream(client) as stream:
            cluster = _run(capsys, tmp_path, "cluster", str(inputs), "--mapping", str(mapping),
                           "--scheduler", scheduler)
    units = {t["key"] for t in stream.data if "evaluate" in str(t["key"])}
    assert len(units) >= 4, "the titles' ranges, the episodes' leftovers and the page apart"
    assert {"LA101", "LA202"} & _rules_found(single), "episodes checked against their titles"
    for kind in single:
        assert cluster[kind] == single[kind], kind


def test_a_shuffled_episodes_table_that_breaks_a_check_is_its_la001_as_in_one_process(
        capsys, tmp_path, monkeypatch, scheduler):
    """The episodes sent to a titles range break a check there: the episodes table is the
    culprit (as one process finds it alone), and every batch it was sent to is audited
    again without it."""
    inputs = _shuffle_inputs(tmp_path, monkeypatch)
    mapping = str(FIXTURES / "formats" / "mapping.yaml")
    single, cluster = _with_broken_range(capsys, tmp_path, monkeypatch, scheduler, "Static",
                                         str(inputs), "--mapping", mapping)
    findings = json.loads(single[".json"])["findings"]
    [la001] = [f for f in findings if f["rule"] == "LA001"]
    assert la001["path"] == str(inputs / "b-episodes.csv")
    for kind in single:
        assert cluster[kind] == single[kind], kind


def _shuffle_inputs(tmp: Path, monkeypatch) -> Path:
    """A titles table cut into 3+ line ranges, an episodes table naming shows across them
    (and one no title lists, and a row naming none), and a page."""
    import shutil

    inputs = tmp / "inputs"
    inputs.mkdir()
    titles = ["Code,Name,Format,Year,Certificate,Length,Blurb"] + [
        f"A-{n},Show {n},Serie,{2000 + n % 20},TV-14,{1 + n % 3} Seasons,"
        f"Show {n} is a {3 + n % 4}-episode drama about the number {n}." for n in range(1, 41)]
    (inputs / "a-titles.csv").write_text("\n".join(titles) + "\n", "utf-8")
    episodes = ["Show Code,Season,Ep,Title,Aired"] + [
        f"{code},{1 + e // 3},{e % 3 + 1},{'Static' if e == 1 else f'Part {e}'},"
        f"20{10 + n % 10}-0{1 + e % 9}-1{e % 9}"
        for n, code in [(n, f"A-{n}") for n in range(40, 0, -3)] + [(99, "Z-9")]
        for e in range(1 + n % 5)] + [",1,1,No show,2020-01-01"]
    (inputs / "b-episodes.csv").write_text("\n".join(episodes) + "\n", "utf-8")
    shutil.copy(FIXTURES / "race-to-mars.txt", inputs / "c-page.txt")
    monkeypatch.setenv("LISTING_AUDIT_PARTITION_BYTES", "1200")
    monkeypatch.setattr("audit.partitioned.MIN_TASK_BYTES", 1)
    assert len(planning.partitions([Source("a-titles.csv", inputs / "a-titles.csv")], [],
                                   None, 1200)) >= 3
    return inputs
