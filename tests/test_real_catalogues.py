"""Real public catalogues (../shared/data and ../shared/data/real): what the tool reports on
each, counted per rule and severity, every count judged by reading the flagged rows.

Each expected count carries the one-line reason of its judgement (a few warnings are judged
false and say so; benchmarks/judgements.yaml holds the judgements finding by finding). A change that moves a
count must be re-judged the same way (benchmarks/precision.py prints every finding's
judgement from benchmarks/judgements.yaml), not just copied from the new output. No
error-level finding on these files is false. Column roll-ups (one finding for a rule that
fails on most rows of a column) count as one finding; the rows they stand for are checked
separately below.
"""

from __future__ import annotations

import collections
import json

import pytest

from audit.cli import main
from conftest import ROOT

SHARED = ROOT.parent / "shared"
REAL = "data/real"

pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not (SHARED / "data").is_dir(),
                                 reason="../shared/data is absent (bare clone)")]

# file -> (extra arguments, as-of date, {"RULE severity": (count, reason)})
CATALOGUES = {
    f"{REAL}/disney_plus_titles.csv": ([], "2021-11-30", {
        "LA306 warning": (1, "Disney Parks Sunrise Series: one season released 2021, added 2020-12-18"),
        "LA505 info": (53, "cast/director items with a space before the comma (Raven-Symon\u00e9 , ...), "
                           "NBSPs in s786's cast and in the LEGO Star Wars title"),
        "LA601 error": (6, "rating empty on s5, s277, s281; date_added empty on s1440-s1442"),
        "LA604 warning": (6, "s15, s16, s26, s28, s38, s42: 1-3 minute 'movies' announcing a 2022 "
                             "release, promos of series"),
    }),
    f"{REAL}/justwatch_crunchyroll_titles.csv": (
        ["--mapping", f"{REAL}/justwatch_crunchyroll_titles.mapping.yaml"], "2023-01-01", {
            "LA102 error": (2, "Digimon Fusion says three seasons against 2; Beyblade: Metal Fusion "
                               "says four seasons against 5 (prose about the franchise, but the "
                               "record contradicts its own description)"),
            "LA502 warning": (2, "roll-ups: genres and production_countries are Python list "
                                 "literals on every row ('[]' on 7 and 24)"),
            "LA505 info": (2, "one description with leading, one with trailing white space"),
            "LA506 warning": (1, "'22-jul' is the anime 22/7 turned into a date"),
            "LA601 error": (1, "roll-up: age_certification empty on 331 of 1,081 rows"),
        }),
    f"{REAL}/tvmaze_girls_shows.json": ([], "2020-03-02", {
        "LA102 error": (1, "Gilmore Girls season 8 (the 2016 revival) states 4 episodes, lists none"),
        "LA303 warning": (2, "judged false: The Powerpuff Girls (1998) really broadcast S4E1 "
                             "and S5E14 before the episodes numbered before them"),
        "LA501 warning": (6, "judged false: Derry Girls 'Episode 1'..'Episode 6' are the "
                             "show's official titles"),
    }),
    f"{REAL}/tvmaze_girls_shows.embedded.json": ([], "2020-03-02", {
        "LA102 error": (1, "the same data: Gilmore Girls season 8, 4 stated, none listed"),
        "LA303 warning": (2, "the same data, judged false: Powerpuff Girls broadcast order"),
        "LA501 warning": (6, "the same data, judged false: Derry Girls' official titles"),
    }),
    f"{REAL}/tmdb_the_sandman.json": ([], "2022-08-24", {}),
    f"{REAL}/tmdb_scorpion.json": ([], "2018-01-24", {}),
    f"{REAL}/wikipedia_regular_show_episodes.csv": (
        ["--mapping", f"{REAL}/wikipedia_regular_show_episodes.mapping.yaml"], "2017-01-31", {
            "LA103 warning": (12, "real gaps in in-season numbers; each is a merged two-part row "
                                  "('Terror Tales of the Park' is episodes 4-5)"),
            "LA303 warning": (1, "season 4 'episode 12' is the merged 'Exit 9B' (episodes 1-2) "
                                 "row's concatenated number"),
            "LA505 info": (1, "roll-up: every air date carries NBSPs (244 of 244)"),
        }),
    f"{REAL}/netflix_shows_2017.csv": (
        ["--mapping", f"{REAL}/netflix_shows_2017.mapping.yaml"], "2018-01-01", {
            "LA203 warning": (244, "every one an exact duplicate row of the file (500 of 1,000 "
                                   "rows repeat)"),
            "LA504 warning": (9, "UTF-8 titles read as Windows-1252 then saved as Mac Roman: "
                                 "Pok\u00e9mon x3, Opera\u00e7\u00f5es, Div\u00e3, \u00d3 Pai, "
                                 "I\u2019m; Merl\u00ed x2 lost a byte ('\u00c3?')"),
        }),
    "data/netflix/netflix_titles_2019.csv": ([], "2026-11-24", {
        "LA203 warning": (1, "'Consequences' and 'Consequences ' (2018), the same film twice"),
        "LA306 warning": (5, "two movies and three one-season shows with a release year after "
                             "their date added; 4 true, Jack Taylor false (2016 is its newest "
                             "episode's year)"),
        "LA505 info": (96, "88 date_added with a leading space, 5 titles and 1 cast list with a "
                           "zero-width space, 'Consequences ', the ' show_id' header"),
        "LA506 warning": (4, "titles turned into dates: Oct-01, Feb-09, 22-Jul, 15-Aug"),
        "LA507 info": (4, "country lists ending in a comma"),
        "LA601 error": (17, "7 empty ratings and 10 empty dates added"),
    }),
    "data/tmdb/rick-and-morty.json": ([], "2020-09-08", {}),
    "data/tvmaze/the-fosters.json": ([], "2026-11-24", {}),
    "seed/race-to-mars.txt": ([], "2026-11-24", {
        "LA101 error": (1, "eight-episode series vs (4 episodes) vs 4 listed"),
        "LA201 error": (1, "one synopsis on all four episodes"),
        "LA301 error": (1, "'currently running' against a 2007 mini-series"),
        "LA304 warning": (1, "every episode aired September 23, 2007"),
        "LA501 warning": (4, "Episode 1..4 as titles"),
        "LA502 warning": (1, "'1 seasons'"),
        "LA503 warning": (1, "the synopsis is about China's rovers, not the race"),
    }),
}

# Column roll-ups: (file, rule, field) -> rows the one finding stands for.
ROLLUPS = {
    (f"{REAL}/justwatch_crunchyroll_titles.csv", "LA502", "genres"): 1081,
    (f"{REAL}/justwatch_crunchyroll_titles.csv", "LA502", "country"): 1081,
    (f"{REAL}/justwatch_crunchyroll_titles.csv", "LA601", "content_rating"): 331,
    (f"{REAL}/wikipedia_regular_show_episodes.csv", "LA505", "air_date"): 244,
}


def _report(capsys, monkeypatch, path: str) -> dict:
    extra, as_of, _ = CATALOGUES[path]
    monkeypatch.chdir(SHARED)   # paths and keys in the report stay relative: data/...
    capsys.readouterr()
    main(["check", path, *extra, "--as-of", as_of, "--format", "json", "--fail-on", "never"])
    return json.loads(capsys.readouterr().out)


def test_every_shared_file_is_covered():
    files = {p.relative_to(SHARED).as_posix() for p in (SHARED / "data").rglob("*")
             if p.suffix in (".csv", ".json") and "mapping" not in p.name
             and p.name != "sarif-schema-2.1.0.json"}
    assert files == set(CATALOGUES) - {"seed/race-to-mars.txt"}


@pytest.mark.parametrize("path", sorted(CATALOGUES))
def test_findings_per_rule_and_severity(path, capsys, monkeypatch):
    report = _report(capsys, monkeypatch, path)
    counts = collections.Counter(f"{f['rule']} {f['severity']}" for f in report["findings"])
    expected = {key: count for key, (count, _reason) in CATALOGUES[path][2].items()}
    assert dict(sorted(counts.items())) == expected
    rollups = {(path, f["rule"], f["field"]): f["count"] for f in report["findings"]
               if f.get("scope") == "column"}
    assert rollups == {k: v for k, v in ROLLUPS.items() if k[0] == path}


def test_the_seed_keeps_its_acceptance(capsys, monkeypatch):
    report = _report(capsys, monkeypatch, "seed/race-to-mars.txt")
    rules = {f["rule"] for f in report["findings"]}
    assert {"LA101", "LA201", "LA301", "LA304", "LA501", "LA502"} <= rules
    assert not rules & {"LA102", "LA302", "LA401", "LA402"}


def test_justwatch_with_runtime_mapped(capsys, monkeypatch, tmp_path):
    """JustWatch gives every series its seasons and an episode's runtime: mapped, the runtime
    is no LA603 conflict on any of the 1,080 shows (there were 1,080), and the one runtime of
    0 minutes (Kite Liberator) is LA401."""
    shipped = (SHARED / REAL / "justwatch_crunchyroll_titles.mapping.yaml").read_text(encoding="utf-8")
    assert "    # runtime: runtime\n" in shipped
    mapping = tmp_path / "runtime.mapping.yaml"
    mapping.write_text(shipped.replace("    # runtime: runtime\n", "    runtime: runtime\n"),
                       encoding="utf-8")
    monkeypatch.chdir(SHARED)
    capsys.readouterr()
    main(["check", f"{REAL}/justwatch_crunchyroll_titles.csv", "--mapping", str(mapping),
          "--as-of", "2023-01-01", "--format", "json", "--fail-on", "never",
          "--select", "LA401,LA603"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["listing"]["title"], f["evidence"][0]["text"]) for f in findings] == [
        ("LA401", "Kite Liberator", "0")]
