"""One bad value never costs the run; hostile text never reaches a terminal or CI raw.

Each class of hostile or careless input is run through the CLI next to a good file: the
run's exit code, the finding (or the one-line error) on the bad input, and the good file's
findings exactly as when it is audited alone.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import AS_OF, FIXTURES, SEED
from reportcases import markdown_prose

GOOD = FIXTURES / "formats" / "harbour-lights.json"
HARBOUR = json.loads(GOOD.read_text(encoding="utf-8"))
JSONLD_PAGE = (FIXTURES / "formats" / "page-with-jsonld.html").read_text(encoding="utf-8")


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good" / "harbour-lights.json"
    path.parent.mkdir()
    shutil.copy(GOOD, path)
    return path


def _of(report: dict, path: Path) -> list[dict]:
    return [f for f in report["findings"] if f["path"] == str(path)]


def audited(cli, bad: Path, good: Path, *extra: str) -> tuple[int, list[dict]]:
    """Exit code and the bad input's findings; asserts the good file is reported as alone."""
    alone = cli("check", good, "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    both = cli("check", bad, good, "--as-of", AS_OF, "--format", "json", *extra)
    assert both.err == "", both.err
    report = both.json()
    assert _of(report, good) == _of(alone.json(), good)
    assert not [f for f in report["findings"] if "internal error" in f["message"]]
    return both.code, _of(report, bad)


def harbour(tmp_path: Path, name: str = "bad.json", raw: str | None = None, **changes) -> Path:
    record = json.loads(json.dumps(HARBOUR))
    # Another id and title, so the bad copy is no duplicate (LA203) of the good file.
    record.update(id="acme:999", title="Harbour Lights Revisited")
    for key, value in changes.items():
        if key.startswith("ep_"):
            record["episodes"][0][key[len("ep_"):]] = value
        else:
            record[key] = value
    path = tmp_path / name
    path.write_text(raw if raw is not None else json.dumps(record), encoding="utf-8")
    return path


def rules_of(findings: list[dict]) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["message"]) for f in findings)


# --- 1. extreme and partial values -----------------------------------------------------

@pytest.mark.parametrize("date", ["0001-01-01", "1600-01-01", "9999-12-31"])
def test_air_dates_pandas_cannot_hold_are_la401(cli, tmp_path, good, date):
    code, findings = audited(cli, harbour(tmp_path, ep_air_date=date), good)
    assert code == 1
    assert (f"air date \u201c{date}\u201d is out of range: expected a date from 1678-01-01 to "
            "2261-12-31") in [f["message"] for f in findings if f["rule"] == "LA401"]


def test_premiere_date_in_year_one_is_la401(cli, tmp_path, good):
    code, findings = audited(cli, harbour(tmp_path, premiere_date="0001-01-01"), good)
    assert code == 1
    assert [f["message"] for f in findings if f["rule"] == "LA401"] == [
        "premiere date \u201c0001-01-01\u201d is out of range: expected a date from 1678-01-01 to 2261-12-31"]


def test_year_only_air_date_in_a_tmdb_record_is_read(cli, tmp_path, good):
    record = json.loads((FIXTURES / "formats" / "tmdb-show.json").read_text(encoding="utf-8"))
    text = json.dumps(record)
    assert '"air_date": "' in text
    bad = tmp_path / "tmdb.json"
    bad.write_text(re.sub(r'"air_date": "\d{4}-\d{2}-\d{2}"', '"air_date": "2019"', text, count=2),
                   encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code in (0, 1)
    assert not [f for f in findings if f["rule"] == "LA001"]


@pytest.mark.parametrize("literal, rule, message", [
    ("NaN", "LA602", "rating \u201cnan\u201d is not a number"),
    ("Infinity", "LA401", "rating \u201cinf\u201d is out of range: expected a finite number"),
])
def test_nan_and_infinity_in_json_are_findings_on_the_value(cli, tmp_path, good, literal, rule, message):
    raw = GOOD.read_text(encoding="utf-8").replace('"rating": 7.1', f'"rating": {literal}') \
        .replace('"acme:101"', '"acme:999"')
    code, findings = audited(cli, harbour(tmp_path, raw=raw), good)
    assert code == 1
    assert (rule, message) in rules_of(findings)


@pytest.mark.parametrize("number", [2 ** 63, 2 ** 64, -(2 ** 63) - 1])
def test_episode_numbers_beyond_64_bits_are_la401(cli, tmp_path, good, number):
    code, findings = audited(cli, harbour(tmp_path, ep_season=number), good)
    assert code == 1
    assert any(f["rule"] in ("LA401", "LA602") and str(number) in f["message"] for f in findings)


def test_integer_of_thousands_of_digits_is_a_finding(cli, tmp_path, good):
    raw = GOOD.read_text(encoding="utf-8").replace('"year": 2019', '"year": 1' + "0" * 5000) \
        .replace('"acme:101"', '"acme:999"')
    code, findings = audited(cli, harbour(tmp_path, raw=raw), good)
    assert code == 1
    assert [f["rule"] for f in findings] == ["LA602"]
    assert findings[0]["message"].startswith("/year:")


@pytest.mark.parametrize("replace, expected", [
    (('"numberOfSeasons": 1', '"numberOfSeasons": NaN'), ("LA602", "season count \u201cnan\u201d is not a number")),
    (('"numberOfEpisodes": 6', '"numberOfEpisodes": Infinity'),
     ("LA401", "episode count \u201cinf\u201d is out of range: expected a finite number")),
    (('"@type": "AggregateRating"', '"@type": "AggregateRating", "bestRating": 0'),
     ("LA401", "bestRating \u201c0\u201d is out of range: expected a positive number (the top of the rating scale)")),
])
def test_jsonld_values_that_are_no_numbers(cli, tmp_path, good, replace, expected):
    bad = tmp_path / "page.html"
    bad.write_text(JSONLD_PAGE.replace(*replace), encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 1
    assert expected in rules_of(findings)


def test_jsonld_type_that_is_a_list_of_objects(cli, tmp_path, good):
    bad = tmp_path / "page.html"
    bad.write_text(JSONLD_PAGE.replace('"@type": "TVSeries"', '"@type": [{"a": 1}, "TVSeries"]'),
                   encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 1
    assert not [f for f in findings if f["rule"] == "LA001"]


def test_parquet_year_of_unsigned_maxima_and_strings(cli, tmp_path, good):
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    frame = pd.DataFrame({"title": ["Alpha", "Beta"], "type": ["Movie", "Movie"],
                          "release_year": np.array([np.iinfo(np.uint64).max, 2001], dtype=np.uint64)})
    bad = tmp_path / "u64.parquet"
    frame.to_parquet(bad)
    code, findings = audited(cli, bad, good)
    assert code == 1
    assert ("LA401", "year \u201c18446744073709551615\u201d is out of range: expected a number of at "
            "most 9223372036854775807") in rules_of(findings)
    frame["release_year"] = ["abc", "2001"]
    frame.to_parquet(bad)
    code, findings = audited(cli, bad, good)
    assert code == 1 and not [f for f in findings if f["rule"] == "LA001"]


JSONLD_EPISODES = """"containsSeason": [
  {"@type": "TVSeason", "seasonNumber": 1, "episode": [
    {"@type": "TVEpisode", "episodeNumber": 1, "name": "The Caravan", "datePublished": "2018-10-02"},
    {"@type": "TVEpisode", "episodeNumber": Infinity, "name": "The Well", "datePublished": "2018-10-09"},
    {"@type": "TVEpisode", "episodeNumber": 3.5, "name": "The Dunes", "datePublished": "2018-10-16"}]},
  {"@type": "TVSeason", "seasonNumber": NaN, "episode": [
    {"@type": "TVEpisode", "episodeNumber": 1, "name": "Later"}]}],"""


def test_jsonld_episode_and_season_numbers_that_no_column_holds(cli, tmp_path, good):
    """Found by hand after the fuzzer: `int(number)` on an episodeNumber Infinity ended the
    page's read (LA001); now each bad number is a finding and the page is audited."""
    page = JSONLD_PAGE.replace('"numberOfEpisodes": 6,', '"numberOfEpisodes": 6, ' + JSONLD_EPISODES)
    bad = tmp_path / "page.html"
    bad.write_text(page[:page.index("  <h2>Season 1</h2>")] + "</body>\n</html>\n", encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 1
    assert [(f["rule"], f["message"]) for f in findings if f["rule"] != "LA101"] == [
        ("LA401", "episode number \u201cinf\u201d is out of range: expected a finite number"),
        ("LA401", "episode number \u201c3.5\u201d is out of range: expected a whole number of at least 1"),
        ("LA602", "season \u201cnan\u201d is not a number"),
    ]
    # The rest of the page is audited: its four listed episodes against the stated six.
    assert [f["rule"] for f in findings if f["rule"] == "LA101"] == ["LA101"]


def test_mixed_types_in_an_episode_column_cost_only_their_cells():
    """A column pandera cannot coerce as a whole (a date string beside a bool) was the whole
    file's LA001; each cell that cannot be a number is now its own LA602."""
    from audit.ingest.base import Builder
    from audit.tables import build_tables

    builder = Builder("x.json", "json")
    listing = builder.listing("X", line=1)
    for line, (season, number) in enumerate([("2019-01-01", 1), (True, 2), (None, "3"), (1, [4])], 2):
        builder.episode(listing, season=season, number=number, title="t", air_date=None,
                        synopsis=None, line=line)
    tables = build_tables([builder.result()])
    assert tables.episodes["season"].tolist()[3] == 1 and tables.episodes["number"].tolist()[:3] == [1, 2, 3]
    assert sorted(zip(tables.problems["line"], tables.problems["rule"], tables.problems["message"])) == [
        (2, "LA602", "season \u201c2019-01-01\u201d is not a number"),
        (3, "LA602", "season \u201cTrue\u201d is not a number"),
        (5, "LA602", "episode number \u201c[4]\u201d is not a number"),
    ]


# --- 2. text the codecs cannot carry --------------------------------------------------

@pytest.mark.parametrize("fmt", ["terminal", "json", "html", "sarif", "junit", "markdown", "github"])
def test_lone_surrogates_are_replaced_and_said_so(cli, tmp_path, good, fmt):
    raw = GOOD.read_text(encoding="utf-8").replace('"Harbour Lights"', '"Harbour \\ud83c Lights"', 1) \
        .replace('"acme:101"', '"acme:999"')
    bad = harbour(tmp_path, raw=raw)
    code, findings = audited(cli, bad, good)
    assert ("LA504", "title \u201c\ufffd\u201d looks like encoding damage (a replacement character)") \
        in rules_of(findings)
    result = cli("check", bad, "--as-of", AS_OF, "--format", fmt, "--fail-on", "never")
    assert result.code == 0 and result.err == ""
    result.out.encode("utf-8")


def test_file_name_that_is_not_utf8(cli, tmp_path, good):
    directory = tmp_path / "bytes"
    directory.mkdir()
    name = b"caf\xe9.json".decode("utf-8", "surrogateescape")
    (directory / name).write_bytes(GOOD.read_bytes())
    for fmt in ("json", "terminal", "sarif", "junit", "html", "markdown", "github"):
        result = cli("check", directory, "--as-of", AS_OF, "--format", fmt, "--fail-on", "never")
        assert result.code == 0 and result.err == "", (fmt, result.err)
        result.out.encode("utf-8")
    report = cli("check", directory, "--as-of", AS_OF, "--format", "json", "--fail-on", "never").json()
    assert [f["path"] for f in report["files"]] == [f"{directory.as_posix()}/caf\\xe9.json"]


# --- 3. nesting and expansion bombs ----------------------------------------------------

def _one_line_error(result, *words: str) -> None:
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith("listing-audit: error: ")
    for word in words:
        assert word in result.err, result.err


def test_deep_toml_config(cli, tmp_path, good):
    config = tmp_path / "listing-audit.toml"
    config.write_text("select = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = cli("check", good, "--config", config)
    assert time.perf_counter() - started < 10
    _one_line_error(result, str(config), "nested more than 64 levels")


def test_yaml_alias_bomb_in_a_mapping(cli, tmp_path, good):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("listings: {columns: {title: *a11}}")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = cli("check", good, "--mapping", mapping)
    assert time.perf_counter() - started < 10
    _one_line_error(result, str(mapping), "expands to more than")


def test_recursive_yaml_alias_in_waivers(cli, tmp_path, good):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: &w [*w]\n", encoding="utf-8")
    _one_line_error(cli("check", good, "--waivers", waivers), str(waivers), "refers to itself")


def test_deep_yaml_rule_file(cli, tmp_path, good):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "deep.yaml").write_text("rules: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    # libyaml stops it first ("exceeded maximum nesting depth"); the pure-Python loader at
    # our own depth limit ("nested more than 64 levels"): either way one line naming the file.
    result = cli("check", good, "--rules", rules)
    _one_line_error(result, "deep.yaml")
    assert "nest" in result.err


def test_deep_json_baseline(cli, tmp_path, good):
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"version": 1, "findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _one_line_error(cli("check", good, "--baseline", baseline), str(baseline), "nested")


def test_rule_file_linked_to_dev_zero(cli, tmp_path, good):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "zero.yaml").symlink_to("/dev/zero")
    started = time.perf_counter()
    result = cli("check", good, "--rules", rules)
    assert time.perf_counter() - started < 10
    _one_line_error(result, "zero.yaml", "not a regular file")


RULE = """rules:
  - id: CAT901
    name: my-rule
    severity: warning
    summary: A test rule.
    rationale: Tests.
    example: Tests.
    message: "{message}"
    check:
      kind: pattern
      fields: [title]
      patterns:
        - {{regex: '{regex}', label: x}}
"""


@pytest.mark.parametrize("message, regex, words", [
    ("{field!z}", "x", ["CAT901", "!r, !s or !a"]),
    ("{field:>999999999}", "x", ["CAT901", "format spec must be simple"]),
    ("{field:{label}}", "x", ["CAT901", "format spec must be simple"]),
    ("{field}", "a{4294967295}", ["CAT901", "invalid regex"]),
    ("{field}", "a{100000}", ["CAT901", "repeats more than 1000 times"]),
])
def test_rule_templates_and_regexes_rejected_at_load(cli, tmp_path, good, message, regex, words):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yaml").write_text(RULE.format(message=message, regex=regex), encoding="utf-8")
    _one_line_error(cli("check", good, "--rules", rules), "mine.yaml", *words)


def test_near_miss_ordinary_templates_and_regexes_load(cli, tmp_path, good):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yaml").write_text(RULE.format(message="{field!r:>20} {label}", regex=r"(?:ab+c)?x{1,3}"),
                                     encoding="utf-8")
    result = cli("check", good, "--rules", rules, "--as-of", AS_OF, "--format", "json")
    assert result.code == 0, result.err


# --- 4. slow paths ---------------------------------------------------------------------

def test_huge_description_is_cut_and_said_so(cli, tmp_path, good):
    words = "the keeper walks along the rocky shore at night looking for lost ships "
    text = words * (2_000_000 // len(words))
    code, findings = audited(cli, harbour(tmp_path, description=text), good)
    assert (f"description is {len(text):,} characters long; only its first 20,000 were audited"
            in [f["message"] for f in findings if f["rule"] == "LA002"])


def test_near_miss_long_but_ordinary_description_is_not_cut(cli, tmp_path, good):
    text = "A keeper finds a stranger on the rocks below the lighthouse. " * 300
    code, findings = audited(cli, harbour(tmp_path, description=text), good)
    assert not [f for f in findings if f["rule"] == "LA002"]


def test_tvmaze_genres_that_are_no_list(cli, tmp_path, good):
    """Found by benchmarks/fuzz.py: `"genres": 5` ended the read with a TypeError."""
    record = json.loads((FIXTURES / "formats" / "tvmaze-show.json").read_text(encoding="utf-8"))
    record["genres"] = 5
    bad = tmp_path / "tvmaze.json"
    bad.write_text(json.dumps(record), encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert not [f for f in findings if f["rule"] == "LA001"]


def test_unterminated_quote_is_bounded(cli, tmp_path, good):
    from audit.ingest import csv_catalogue

    text = 'title,type\nAlpha,Movie\n"Beta,Movie\n' + "x" * 2_000_000
    started = time.perf_counter()
    rows = list(csv_catalogue.records(text, ","))
    assert time.perf_counter() - started < 5
    assert [[v for v, _ in cells] for cells, _ in rows][:3] == [["title", "type"], ["Alpha", "Movie"],
                                                                ['"Beta', "Movie"]]


CATALOGUE = (FIXTURES / "formats" / "catalogue.csv").read_text(encoding="utf-8")


def test_unclosed_quote_is_one_finding_and_the_rest_is_not_read_as_rows(cli, tmp_path, good):
    """123,000 lines after a quote nothing closes were each an LA602 ragged row (150 s of
    CPU); RFC 4180 makes them one cell, so they are one finding with their count."""
    bad = tmp_path / "unclosed.csv"
    bad.write_text(CATALOGUE + 's9,Movie,"Unterminated,Ana\n' + "x" * 80 + "\n" * 1 + ("y" * 80 + "\n") * 5000,
                   encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 1
    messages = [f["message"] for f in findings if f["rule"] == "LA602"]
    assert "the quote opened at line 9, column 10 is never closed; the 5,001 lines after it " \
           "were not read as rows" in messages
    assert not [m for m in messages if m.startswith("row has 1 cells")]


def test_near_miss_a_quoted_cell_over_two_lines_is_one_cell(cli, tmp_path, good):
    bad = tmp_path / "multiline.csv"
    bad.write_text(CATALOGUE + 's9,Movie,"Two\nlines",Ana,"Lea",Chile,"May 1, 2019",2018,TV-MA,'
                   '90 min,Dramas,A film.\n', encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert not [f for f in findings if "never closed" in f["message"]]


@pytest.mark.parametrize("rows", [",\n" * 100_000, ',\n"",\n  ,\t\n' * 3])
def test_rows_of_delimiters_only_are_one_finding(cli, tmp_path, good, rows):
    bad = tmp_path / "commas.csv"
    bad.write_text("title,type\nAlpha,Movie\n" + rows, encoding="utf-8")
    started = time.perf_counter()
    code, findings = audited(cli, bad, good)
    assert time.perf_counter() - started < 60
    count = rows.count("\n")
    assert [(f["rule"], f["message"]) for f in findings if f["rule"] == "LA601"] == [
        ("LA601", f"{count:,} rows hold only delimiters and no value; skipped")]


def test_standard_input_is_read_no_further_than_the_limit(monkeypatch, tmp_path):
    import datetime as dt
    import io

    from audit import ingest
    from audit.pipeline import audit

    class Endless(io.RawIOBase):
        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            Endless.served += len(buffer)
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(ingest, "MAX_BYTES", 1 << 20)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    run = audit(["-"], [], as_of=dt.date(2026, 11, 24))
    (entry,) = run.files
    assert entry["status"] == "skipped" and "over the 1 MiB limit" in entry["reason"]
    assert Endless.served < 3 << 20


def test_big_file_is_refused_before_it_is_read(cli, tmp_path, good, monkeypatch):
    from audit import ingest

    monkeypatch.setattr(ingest, "MAX_BYTES", 1024)
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024 ** 3)  # 3 GB of holes: reading it whole would take minutes
    started = time.perf_counter()
    result = cli("check", big, "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    assert time.perf_counter() - started < 20
    (entry,) = result.json()["files"]
    assert entry["reason"].startswith("the input is 3 GiB, over the 1 KiB limit")


# --- 5. lost records and inputs ------------------------------------------------------

def test_jsonl_with_a_broken_first_line_keeps_the_others(cli, tmp_path, good):
    bad = tmp_path / "feed.jsonl"
    bad.write_text('{"id": "x", "title": "A"\n'
                   '{"id": "b", "title": "Good B", "kind": "movie", "year": 2001}\n'
                   '{"id": "c", "title": "Good C", "kind": "movie", "year": 2002}\n', encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 1
    assert [f["rule"] for f in findings] == ["LA001"]
    assert findings[0]["message"].startswith(f"{bad}: line 1: malformed JSON")
    report = cli("check", bad, "--as-of", AS_OF, "--format", "json").json()
    assert report["summary"]["listings"] == 2


def test_jsonl_with_a_huge_integer_keeps_the_others(cli, tmp_path, good):
    bad = tmp_path / "feed.jsonl"
    bad.write_text('{"id": "b", "title": "Good B", "kind": "movie", "year": 2001}\n'
                   '{"id": "c", "title": "Good C", "kind": "movie", "year": 1' + "0" * 5000 + '}\n'
                   '{"id": "d", "title": "Good D", "kind": "movie", "year": 2003}\n', encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 1 and [f["rule"] for f in findings] == ["LA602"]
    assert cli("check", bad, "--as-of", AS_OF, "--format", "json").json()["summary"]["listings"] == 3


def test_near_miss_pretty_printed_json_is_not_jsonl(cli, tmp_path, good):
    bad = tmp_path / "pretty.json"
    bad.write_text(json.dumps([{"id": "b", "title": "Good B", "kind": "movie", "year": 2001},
                               {"id": "c", "title": "Good C", "kind": "movie", "year": 2002}], indent=0)
                   .replace("[\n", "[").replace("\n]", "]"), encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 0 and findings == []


def test_unreadable_subdirectory_is_a_finding(cli, tmp_path, good, monkeypatch):
    import os

    tree = tmp_path / "tree"
    (tree / "locked").mkdir(parents=True)
    shutil.copy(GOOD, tree / "kept.json")
    shutil.copy(GOOD, tree / "locked" / "hidden.json")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("check", tree, good, "--as-of", AS_OF, "--format", "json", "--select", "LA001")
    assert result.code == 1
    assert [(f["path"], f["message"]) for f in result.json()["findings"]] == [
        (f"{tree.as_posix()}/locked",
         f"{tree.as_posix()}/locked: cannot read the directory: Permission denied")]


def test_a_device_argument_is_a_finding_not_a_hang(cli, good):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    result = cli("check", "/dev/zero", good, "--as-of", AS_OF, "--format", "json", "--select", "LA001")
    assert result.code == 1
    (finding,) = result.json()["findings"]
    assert finding["path"] == "/dev/zero" and "not a regular file" in finding["message"]


# --- 6. hostile text in the outputs ----------------------------------------------------

HOSTILE_TITLE = "Harbour\x1b[2J\x1b[31m Lights\x00\x0e\n::error::pwned https://evil.example/x"


def test_terminal_shows_control_characters_and_no_line_starts_with_listing_text(cli, tmp_path, good):
    # episode_count 5 against 3 listed: an LA101 finding that names the hostile title.
    bad = harbour(tmp_path, title=HOSTILE_TITLE, ep_title="Bad\u202eTitle\r\nnext",
                  episode_count=5)
    code, _ = audited(cli, bad, good)
    out = cli("check", bad, good, "--as-of", AS_OF, "--format", "terminal").out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", out)
    assert "\u241b[2J\u241b[31m" in out and "\u2400\u240e\u240a::error::pwned" in out
    assert not [line for line in out.splitlines() if line.startswith("::")]


def test_markdown_has_no_autolinks_or_raw_controls_from_listing_text(cli, tmp_path, good):
    bad = harbour(tmp_path, title=HOSTILE_TITLE + " www.evil.example a@evil.example",
                  episode_count=5)
    out = cli("check", bad, good, "--as-of", AS_OF, "--format", "markdown").out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", out)
    # Outside code spans, no URL scheme, "www." or e-mail address is left for GitHub to link.
    prose, made = markdown_prose(out)
    assert not made
    assert "evil.example" in prose
    assert not re.search(r"https?://|\bwww\.|\w@\w", prose), prose
    assert "https&#58;//evil.example/x" in prose and "&#119;ww.evil.example" in prose


def test_markdown_backtick_in_listing_text_opens_no_code_span(cli, tmp_path, good):
    """A backtick in a message once paired (to a regex, and to a careless renderer) with the
    code span of a path beside it, leaving "www.evil" in the prose: backticks in prose are
    now an entity, and code spans are fenced longer than any backtick run they hold."""
    folder = tmp_path / "x```www.evil.example"
    folder.mkdir()
    bad = harbour(folder, title="Harbour ` Lights ``` www.evil.example", episode_count=5)
    code, findings = audited(cli, bad, good)
    assert code == 1 and findings
    out = cli("check", bad, good, "--as-of", AS_OF, "--format", "markdown").out
    prose, made = markdown_prose(out)
    assert not made
    assert not re.search(r"https?://|\bwww\.|\w@\w", prose), prose
    assert "&#96;" in prose and f"````{bad}" in out


def test_github_annotations_keep_listing_text_off_line_starts(cli, tmp_path, good):
    bad = harbour(tmp_path, title=HOSTILE_TITLE, episode_count=5)
    out = cli("check", bad, "--as-of", AS_OF, "--format", "github").out
    assert "pwned" in out
    assert all(line.startswith(("::", " ", "listing-audit")) or not line or line[0].isalnum()
               for line in out.splitlines())
    assert "\n::error::pwned" not in out


# --- 7. saved reports and baselines with wrong types -----------------------------------

@pytest.fixture
def saved(cli) -> dict:
    return cli("check", SEED, "--as-of", AS_OF, "--format", "json").json()


@pytest.mark.parametrize("edit, key", [
    (lambda r: r["findings"][0].update(severity="fatal"), "findings[0].severity"),
    (lambda r: r["findings"][0].update(line="nine"), "findings[0].line"),
    (lambda r: r["findings"][0].update(line=2 ** 70), "findings[0].line"),
    (lambda r: r["findings"][0].update(listing=[1]), "findings[0].listing"),
    (lambda r: r["findings"][0].update(evidence=[{"text": 5}]), "findings[0].evidence[0].text"),
    (lambda r: r["findings"][0].pop("rule"), "findings[0].rule"),
    (lambda r: r["summary"].update(files=-1), "summary.files"),
    (lambda r: r["summary"]["findings"].update(error="many"), "summary.findings.error"),
    (lambda r: r.update(files={"path": "x"}), "files"),
    (lambda r: r.update(rules=[{"name": "x"}]), "rules[0].id"),
])
@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_saved_report_with_wrong_types_names_the_key(cli, tmp_path, saved, edit, key, fmt):
    assert saved["findings"], "the good file must have a finding to edit"
    edit(saved)
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    _one_line_error(cli("report", path, "--format", fmt), f"{path}: {key}")


def test_near_miss_saved_report_renders_in_every_format(cli, tmp_path, saved):
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    for fmt in ("terminal", "json", "html", "sarif", "junit", "markdown", "github"):
        result = cli("report", path, "--format", fmt)
        # `report` exits as `check` would on the saved findings (the seed has errors: 1).
        assert result.code in (0, 1) and result.err == "", (fmt, result.err)


@pytest.mark.parametrize("entry, key", [
    ({"fingerprint": "x", "rule": "LA101", "listing": "k", "count": "2"}, "findings[0].count"),
    ({"fingerprint": "x", "rule": "LA101", "listing": "k", "count": 10 ** 400}, "findings[0].count"),
    ({"fingerprint": "x", "rule": 5, "listing": "k"}, "findings[0].rule"),
    ({"fingerprint": "x", "rule": "LA101", "listing": "k", "title": ["x"]}, "findings[0].title"),
])
def test_baseline_with_wrong_types_names_the_key(cli, tmp_path, good, entry, key):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"version": 1, "findings": [entry]}), encoding="utf-8")
    _one_line_error(cli("check", good, "--baseline", path), f"{path}: {key}")


@pytest.mark.parametrize("raw,shown", [('"2019-01-01"', "2019-01-01"), ("true", "True"),
                                       ('["3"]', "['3']")])
def test_jsonld_numbers_that_are_no_number_are_findings_on_the_value(cli, tmp_path, good, raw, shown):
    """A JSON-LD season or episode number of text, true or a list was read as "no number"
    without a word; each is now LA602 on its value, and the page is audited."""
    episodes = JSONLD_EPISODES.replace('"episodeNumber": Infinity', f'"episodeNumber": {raw}') \
        .replace('"episodeNumber": 3.5', '"episodeNumber": 3').replace('"seasonNumber": NaN', f'"seasonNumber": {raw}')
    page = JSONLD_PAGE.replace('"numberOfEpisodes": 6,', '"numberOfEpisodes": 6, ' + episodes)
    bad = tmp_path / "page.html"
    bad.write_text(page[:page.index("  <h2>Season 1</h2>")] + "</body>\n</html>\n", encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert code == 1
    # The season's number is one value for its episodes: one finding, however many episodes.
    season = episodes.replace('{"@type": "TVEpisode", "episodeNumber": 1, "name": "Later"}',
                              '{"@type": "TVEpisode", "episodeNumber": 1, "name": "Later"}, '
                              '{"@type": "TVEpisode", "episodeNumber": 2, "name": "Later Still"}')
    assert season != episodes
    assert sorted((f["rule"], f["message"]) for f in findings if f["rule"] == "LA602") == [
        ("LA602", f"episode number \u201c{shown}\u201d is not a number"),
        ("LA602", f"season \u201c{shown}\u201d is not a number"),
    ]
    page = JSONLD_PAGE.replace('"numberOfEpisodes": 6,', '"numberOfEpisodes": 6, ' + season)
    bad.write_text(page[:page.index("  <h2>Season 1</h2>")] + "</body>\n</html>\n", encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert [f["message"] for f in findings if f["rule"] == "LA602"].count(
        f"season \u201c{shown}\u201d is not a number") == 1


def test_two_different_bad_season_numbers_of_one_listing_are_two_findings(cli, tmp_path, good):
    """Each bad value is its own cause: a second season numbered "x" beside one numbered
    "2019-01-01" was not reported (only the first bad season number of a listing was)."""
    episodes = JSONLD_EPISODES.replace('"episodeNumber": Infinity', '"episodeNumber": 2') \
        .replace('"episodeNumber": 3.5', '"episodeNumber": 3') \
        .replace('"seasonNumber": 1,', '"seasonNumber": "x",') \
        .replace('"seasonNumber": NaN', '"seasonNumber": "2019-01-01"')
    page = JSONLD_PAGE.replace('"numberOfEpisodes": 6,', '"numberOfEpisodes": 6, ' + episodes)
    bad = tmp_path / "page.html"
    bad.write_text(page[:page.index("  <h2>Season 1</h2>")] + "</body>\n</html>\n", encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert sorted(f["message"] for f in findings if f["rule"] == "LA602") == [
        "season \u201c2019-01-01\u201d is not a number", "season \u201cx\u201d is not a number"]


def test_jsonld_blank_or_numeric_text_numbers_are_no_finding(cli, tmp_path, good):
    """Near miss: an empty number says nothing, and "2" is the number 2."""
    episodes = JSONLD_EPISODES.replace('"episodeNumber": Infinity', '"episodeNumber": "2"') \
        .replace('"episodeNumber": 3.5', '"episodeNumber": ""').replace('"seasonNumber": NaN', '"seasonNumber": ""')
    page = JSONLD_PAGE.replace('"numberOfEpisodes": 6,', '"numberOfEpisodes": 6, ' + episodes)
    bad = tmp_path / "page.html"
    bad.write_text(page[:page.index("  <h2>Season 1</h2>")] + "</body>\n</html>\n", encoding="utf-8")
    code, findings = audited(cli, bad, good)
    assert not [f for f in findings if f["rule"] in ("LA602", "LA401", "LA001")]
