"""Episodes tables read column by column give exactly the rows, values and positions
(line and column of every cell) that the cell-by-cell reader gives."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import pandas as pd
import pytest

from audit.engine import run_rules
from audit.ingest import Source, csv_catalogue, parquet, read_source
from audit.ingest.base import Builder
from audit.ingest.link import link
from audit.ingest.rows import Cell, EpisodeRows, layout
from audit.ruleset import load_rules
from audit.tables import build_tables

from conftest import FIXTURES

HEADER = "id,season,episode_number,episode_title,air_date,synopsis"
TITLES = ("id,title,type,year,episode_count\n"
          "s1,Harbour Lights,TV Series,2019,4\ns2,Cold Road,TV Series,2020,2\n")

CASES = {
    "plain": f"{HEADER}\ns1,1,1,Arrival,2019-03-01,A keeper arrives.\ns1,1,2,Storm,2019-03-08,A storm.\n",
    "crlf": f"{HEADER}\r\ns1,1,1,Arrival,2019-03-01,A keeper arrives.\r\ns1,1,3,Storm,2019-03-08,x\r\n",
    "bom": f"\ufeff{HEADER}\ns1,1,1,Arrival,2019-03-01,A keeper arrives.\n",
    "quoted": f'{HEADER}\ns1,1,1,"Arrival, Part 1","March 1, 2019","He said ""hi"", then left."\n'
              's2,1,1,"""The Power""",2019-03-01,x\n',
    "spanning": f'{HEADER}\ns1,1,1,Arrival,2019-03-01,"A keeper\narrives, and\r\nstays."\n'
                's1,1,2,Storm,2019-03-08,A storm.\n',
    "ragged": f"{HEADER}\ns1,1,1,Arrival\ns1,1,2,Storm,2019-03-08,A storm.,extra,cells\n"
              "s2,1,1,Only,2020-01-01,fine\n",
    "blank and spaces": f"{HEADER}\n\ns1, 1 , 1 ,  Arrival , 2019-03-01 ,  x  \n   \n,1,2,No id,,\n  ,1,3,Blank id,,\n",
    "stray quotes": f'{HEADER}\ns1,1,1,5" screen,2019-03-01,x"y\ns1,1,2,ok,2019-03-08,"open\n',
    "odd values": f"{HEADER}\ns1,0,1,Special,03/01/2019,x\ns1,one,1e3,Sci,1900-01-01,\n"
                  "s1,1.5,nan,,2019-13-45,\ns1,,inf,T,,y\ns1,1,\u00a01,Nbsp,,z\n",
    "tsv": "id\tseason\tepisode_number\tepisode_title\nS1\t1\t1\tA, b\nS1\t1\t2\t\"q\"\n",
    "lone cr": f"{HEADER}\rs1,1,1,Arrival,2019-03-01,x\r",
    "header only": f"{HEADER}\n",
}


def _random_case(seed: int) -> str:
    rng = random.Random(seed)
    pieces = ["s1", "s2", " s3", "", "1", "2", "0", " 7 ", "x", "A, b", '"q"', '"a ""b"""',
              "2019-03-01", "\"March 1, 2019\"", "\u00e9t\u00e9", '5"', " ", "special", "yes"]
    lines = [HEADER + ",special"]
    for _ in range(rng.randint(1, 25)):
        width = rng.choice([7, 7, 7, 7, 5, 8])
        lines.append(",".join(rng.choice(pieces) for _ in range(width)))
    newline = rng.choice(["\n", "\r\n"])
    return newline.join(lines) + rng.choice(["", newline])


def _audit(files: dict[str, str], monkeypatch, columnar: bool) -> tuple:
    if not columnar:
        monkeypatch.setattr(csv_catalogue, "_by_column", lambda *a: False)
    results = [read_source(Source(name, Path(name)), text.encode()) for name, text in files.items()]
    monkeypatch.undo()
    link(results)
    tables = build_tables(results)
    findings = run_rules(load_rules(None), tables, as_of=dt.date(2026, 11, 24))
    return tables, [json.dumps(f.to_dict(), sort_keys=True) for f in findings]


def _same(a, b) -> None:
    for name in ("listings", "episodes", "claims", "problems"):
        pd.testing.assert_frame_equal(getattr(a[0], name), getattr(b[0], name))
    assert a[1] == b[1]


@pytest.mark.parametrize("case", sorted(CASES))
def test_csv_columns_equal_cells(case, monkeypatch):
    files = {"titles.csv": TITLES, "episodes.csv": CASES[case]}
    _same(_audit(files, monkeypatch, True), _audit(files, monkeypatch, False))


@pytest.mark.parametrize("seed", range(8))
def test_csv_columns_equal_cells_random(seed, monkeypatch):
    files = {"episodes.csv": _random_case(seed), "titles.csv": TITLES}
    _same(_audit(files, monkeypatch, True), _audit(files, monkeypatch, False))


def test_fast_path_taken_where_it_can_be(monkeypatch):
    taken = []
    real = csv_catalogue._by_column
    monkeypatch.setattr(csv_catalogue, "_by_column", lambda *a: taken.append(real(*a)) or taken[-1])
    for case in ("plain", "crlf", "bom", "quoted", "ragged", "spanning", "lone cr"):
        assert read_source(Source("e.csv", Path("e.csv")), CASES[case].encode()).format == "csv"
    assert taken == [True, True, True, True, True, False, False]


def _parquet_rows_one_by_one(data: bytes, label: str) -> Builder:
    """The row-by-row reading Parquet episodes tables had before they were read by column."""
    import pyarrow.parquet as pq
    table = pq.read_table(io.BytesIO(data))
    lay = layout(list(table.column_names), None)
    builder = Builder(label, "parquet")
    columns = {name: table.column(index).to_pylist() for name, index in lay.columns.items()}
    ids = table.column(lay.id_column).to_pylist()
    episodes = EpisodeRows(builder, lay)
    for row in range(table.num_rows):
        line = row + 1
        cells = {name: Cell(parquet._text(values[row]), line, lay.columns[name] + 1)
                 for name, values in columns.items()}
        ident = parquet._text(ids[row])
        if ident:
            episodes.add(cells, ident, line)
        else:
            builder.problem("LA601", f"episode row {line} has no listing id", line=line, field_name="id")
    return builder


def test_parquet_columns_equal_cells():
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pa.table({
        "show_id": ["s1", "s1", None, "s2", " ", "s1"],
        "season": pa.array([1, 1, 1, 0, 2, None], pa.int64()),
        "episode_number": pa.array([1.0, 2.0, 3.0, 1.5, None, float("nan")]),
        "episode_title": ["A", " B ", "C", None, "E", "F"],
        "air_date": pa.array([dt.date(2019, 3, 1), dt.date(2019, 3, 8), None, dt.date(2020, 1, 1),
                              dt.date(2021, 5, 5), dt.date(2019, 3, 15)]),
        "synopsis": ["x", "", "z", "w", None, "v"],
    })
    sink = io.BytesIO()
    pq.write_table(table, sink)
    data = sink.getvalue()
    by_rows = _parquet_rows_one_by_one(data, "e.parquet").result()
    by_columns = read_source(Source("e.parquet", None), data)
    ours = build_tables([by_columns])
    theirs = build_tables([by_rows])
    for name in ("listings", "episodes", "claims", "problems"):
        pd.testing.assert_frame_equal(getattr(ours, name), getattr(theirs, name))
    assert len(ours.claims) > 10


def test_mapped_fixture_columns_equal_cells(monkeypatch):
    files = {name: (FIXTURES / "formats" / name).read_text(encoding="utf-8")
             for name in ("mapped-titles.csv", "mapped-episodes.csv")}
    from audit.ingest.mapping import load_mapping
    mapping = load_mapping(FIXTURES / "formats" / "mapping.yaml")

    def run(columnar: bool):
        if not columnar:
            monkeypatch.setattr(csv_catalogue, "_by_column", lambda *a: False)
        results = [read_source(Source(n, Path(n)), t.encode(), mapping) for n, t in files.items()]
        monkeypatch.undo()
        link(results)
        return build_tables(results)

    ours, theirs = run(True), run(False)
    for name in ("listings", "episodes", "claims", "problems"):
        pd.testing.assert_frame_equal(getattr(ours, name), getattr(theirs, name))


LISTING_HEADER = ("show_id,type,title,director,cast,country,date_added,release_year,rating,"
                  "duration,listed_in,description,status,episodes")


def _random_listings(seed: int) -> str:
    rng = random.Random(seed)
    pieces = ["s1", "s2", " s3", "", " ", "Movie", "TV Show", "tv series", "Harbour Lights",
              "TBA", "2019", "19xx", "7.5", "12", "TV-MA", "90 min", " 3 Seasons", "1 Season",
              '"Drama, Comedy"', '"A six-episode series that ended in 2019."',
              '"Harbour Lights was a British mini-series, first aired on 3 March 2019."',
              '"It is currently running, with 2 seasons."', "Ended", "Running",
              '"March 1, 2019"', " March 1, 2019", "\u00e9t\u00e9", '5"', "n/a", "1e3"]
    lines = [LISTING_HEADER]
    for _ in range(rng.randint(1, 25)):
        width = rng.choice([14, 14, 14, 14, 12, 15])
        lines.append(",".join(rng.choice(pieces) for _ in range(width)))
    newline = rng.choice(["\n", "\r\n"])
    return rng.choice(["", "\ufeff"]) + newline.join(lines) + rng.choice(["", newline])


@pytest.mark.parametrize("seed", range(8))
def test_csv_listing_columns_equal_cells_random(seed, monkeypatch):
    files = {"titles.csv": _random_listings(seed), "episodes.csv": CASES["plain"]}
    _same(_audit(files, monkeypatch, True), _audit(files, monkeypatch, False))


@pytest.mark.parametrize("name", ["catalogue.csv", "mapped-titles.csv"])
def test_listing_fixtures_columns_equal_cells(name, monkeypatch):
    files = {name: (FIXTURES / "formats" / name).read_text(encoding="utf-8")}
    _same(_audit(files, monkeypatch, True), _audit(files, monkeypatch, False))


def test_counts_by_arrow_equal_count_value():
    from audit.ingest.columns import _count_value, _counts

    texts = ["007", "0", "12", "1,234", "7.5", "", "3", "999999999999999", "9999999999999999",
             "-4", "\u0663", "12a", "1e3", "00", "5 "]
    value, number = _counts(pd.Series(texts, dtype=object))
    for text, got_value, got_number in zip(texts, value, number):
        want_value, want_number = _count_value(text)
        assert got_value == want_value, text
        assert (pd.isna(got_number) and want_number is None) or got_number == want_number, text


def _parquet_listings_one_by_one(data: bytes, label: str) -> Builder:
    """The row-by-row reading Parquet listings tables had before they were read by column."""
    import pyarrow.parquet as pq
    from audit.ingest.rows import listing_row
    table = pq.read_table(io.BytesIO(data))
    lay = layout(list(table.column_names), None)
    builder = Builder(label, "parquet")
    columns = {name: table.column(index).to_pylist() for name, index in lay.columns.items()}
    ids = table.column(lay.id_column).to_pylist() if lay.id_column is not None else None
    for row in range(table.num_rows):
        line = row + 1
        cells = {name: Cell(parquet._text(values[row]), line, lay.columns[name] + 1)
                 for name, values in columns.items()}
        listing_row(builder, lay, cells, parquet._text(ids[row]) if ids is not None else None, line)
    return builder


@pytest.mark.parametrize("with_ids", [True, False])
def test_parquet_listing_columns_equal_cells(with_ids):
    import pyarrow as pa
    import pyarrow.parquet as pq
    columns = {
        "title": ["Harbour", " Harbour ", None, "", "Night Road", "Night Road", "TBA"],
        "type": ["TV Series", "Movie", "tv show", None, "TV Series", "TV Series", "Movie"],
        "year": pa.array([2019, 2019, None, 1990, 2021, 2021, 2030], pa.int64()),
        "status": ["Ended", "ended", None, "Running", "", "Ended", "Ended"],
        "episode_count": pa.array([10.0, None, 3.0, 7.5, 12.0, 12.0, float("nan")]),
        "season_count": ["1", "007", None, "2 seasons", "1,000", "", "x"],
        "premiere_date": pa.array([dt.date(2019, 3, 1), None, dt.date(1900, 1, 1),
                                   dt.date(2020, 1, 1), dt.date(2021, 5, 5), None, None]),
        "rating": pa.array([7.5, 12.5, None, 0.0, 9.9, 9.9, -1.0]),
        "votes": pa.array([10, 2000, None, 0, 5, 5, 1], pa.int64()),
        "genres": ["Drama", "Comedy, Drama", None, ", Drama", "Crime", "Crime", ""],
        "description": ["A drama in 2 seasons and 10 episodes.", None, "", "It ended in 2013.",
                        "Four seasons of change.", "Four seasons of change.", "x"],
    }
    if with_ids:
        columns = {"id": ["t1", "t2", None, " t4", "t5", "t5", ""], **columns}
    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink)
    data = sink.getvalue()
    by_rows = _parquet_listings_one_by_one(data, "t.parquet").result()
    by_columns = read_source(Source("t.parquet", None), data)
    assert by_columns.claim_frames and not by_columns.claims  # read by column, not row by row
    ours, theirs = build_tables([by_columns]), build_tables([by_rows])
    for name in ("listings", "episodes", "claims", "problems"):
        pd.testing.assert_frame_equal(getattr(ours, name), getattr(theirs, name))
    assert len(ours.claims) > 30
    rules = load_rules(None)
    as_of = dt.date(2026, 11, 24)
    assert [f.to_dict() for f in run_rules(rules, ours, as_of=as_of)] == \
        [f.to_dict() for f in run_rules(rules, theirs, as_of=as_of)]


def test_integer_columns_typed_fast_as_the_schema_types_them(monkeypatch):
    import numpy as np
    from audit import schemas, tables

    def frame():
        return pd.DataFrame({
            "listing_id": ["a", "a", "b", "c"], "episode": [1, None, np.int64(3), float("nan")],
            "scope": "", "field": "title", "value": ["x", None, "y", "z"], "number": np.nan,
            "source": "field", "path": "p", "line": [1, 2, 3, 4], "column": [None, None, None, None],
            "end_line": [1, 2, np.int64(3), 4], "text": ["x", None, "y", "z"]}, dtype=object)

    problems: list[dict] = []
    fast = tables._validated(frame(), schemas.CLAIMS, problems)
    monkeypatch.setattr(schemas, "_integers", lambda values: None)
    slow = tables._validated(frame(), schemas.CLAIMS, problems)
    pd.testing.assert_frame_equal(fast, slow)
    assert str(fast["episode"].dtype) == "Int64" and fast["episode"].isna().tolist() == [False, True, False, True]
