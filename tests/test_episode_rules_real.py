"""Episode-list rules on real shapes: one cause is one finding, specials stand outside the
run, a season still on the air is not short of episodes, and TVmaze records that keep their
episodes inside `seasons[]` are read.

Cases are cut down from ../shared/data/real/tvmaze_girls_shows.json (TVmaze, CC BY-SA) and
keep its field names and values; each has a near miss that must stay quiet.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from audit.cli import main

AS_OF = "2020-03-02"


def audit(path: Path, *flags: str, as_of: str = AS_OF) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(path), "--format", "json", "--as-of", as_of, "--no-config",
              "--fail-on", "never", *flags])
    return json.loads(out.getvalue())["findings"]


def rules(findings: list[dict]) -> list[str]:
    return sorted(f["rule"] for f in findings)


def episode(season: int, number: int | None, name: str, airdate: str, summary: str = "") -> dict:
    return {"id": hash((season, number, name)) % 10**6, "name": name, "season": season,
            "number": number, "airdate": airdate, "airtime": "20:00", "runtime": 30,
            "summary": f"<p>{summary}</p>" if summary else None}


def show(name: str, status: str, premiered: str, seasons: list[dict], **extra) -> dict:
    return {"id": 32087, "url": "https://www.tvmaze.com/shows/32087/chicken-girls", "name": name,
            "type": "Scripted", "language": "English", "genres": ["Drama"], "status": status,
            "premiered": premiered, "officialSite": None, "externals": {"tvrage": None},
            "summary": None, "seasons": seasons, **extra}


def season(number: int, order: int | None, episodes: list[dict], end: str | None = None) -> dict:
    return {"id": 1000 + number, "number": number, "name": "", "episodeOrder": order,
            "premiereDate": episodes[0]["airdate"] if episodes else None, "endDate": end,
            "episodes": episodes}


def write(tmp_path: Path, records: list[dict], name: str = "shows.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def embedded(records: list[dict]) -> list[dict]:
    """The same records in the TVmaze API's embed layout (how the shared .embedded.json was made)."""
    out = []
    for record in records:
        seasons = record["seasons"]
        moved = {k: v for k, v in record.items() if k != "seasons"}
        moved["_embedded"] = {
            "seasons": [{k: v for k, v in s.items() if k != "episodes"} for s in seasons],
            "episodes": [e for s in seasons for e in s["episodes"]]}
        out.append(moved)
    return out


CHICKEN_S1 = [episode(1, None, "Behind the Scenes", "2017-08-29"),
              episode(1, 1, "Monday", "2017-09-05"), episode(1, 2, "Tuesday", "2017-09-12"),
              episode(1, 3, "Wednesday", "2017-09-19"), episode(1, 7, "Photograph", "2017-11-14"),
              episode(1, None, "Photograph", "2017-11-30")]
for _n, _e in zip(range(4, 7), ("Thursday", "Halloween", "Next Crush")):
    CHICKEN_S1.insert(_n, episode(1, _n, _e, f"2017-10-{_n * 7 - 20:02d}"))


# --- seasons[].episodes[] are read --------------------------------------------------------

def test_nested_and_embedded_layouts_read_the_same_episodes(tmp_path):
    records = [show("Chicken Girls", "Running", "2017-09-05", [season(1, 7, CHICKEN_S1)])]
    nested = write(tmp_path, records)
    embed = write(tmp_path, embedded(records), "embedded.json")
    for path in (nested, embed):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main(["check", str(path), "--format", "json", "--as-of", AS_OF, "--no-config"])
        assert json.loads(out.getvalue())["summary"]["episodes"] == 9
    assert rules(audit(nested)) == rules(audit(embed)) == []


# --- specials stand outside the run --------------------------------------------------------

def test_specials_are_left_out_of_order_and_title_rules(tmp_path):
    # Chicken Girls: a behind-the-scenes special a week before the premiere, and a music
    # video "Photograph" beside episode 7 "Photograph".
    path = write(tmp_path, [show("Chicken Girls", "Running", "2017-09-05", [season(1, 7, CHICKEN_S1)])])
    assert audit(path, "--select", "LA103,LA202,LA303") == []


def test_the_same_slips_on_regular_episodes_are_still_found(tmp_path):
    regular = [dict(e, number=8 if e["name"] == "Photograph" and e["number"] is None else e["number"])
               for e in CHICKEN_S1]
    regular[0] = episode(1, 1, "Behind the Scenes", "2017-08-29")
    regular = regular[:1] + [dict(e, number=e["number"] + 1) if e["number"] else e for e in regular[1:]]
    path = write(tmp_path, [show("Chicken Girls", "Running", "2017-09-05", [season(1, 9, regular)])])
    assert rules(audit(path, "--select", "LA202,LA303")) == ["LA202", "LA303"]


# --- seasons on the air, announced, and missing -------------------------------------------

GOOD_GIRLS_S3 = [episode(3, 1, "Find Your Beach", "2020-02-16"),
                 episode(3, 2, "Not Just Cards", "2020-02-23"),
                 episode(3, 3, "Egg Roll", "2020-03-01")]


def test_a_season_on_the_air_lists_only_what_has_aired(tmp_path):
    path = write(tmp_path, [show("Good Girls", "Running", "2018-02-26",
                                 [season(3, 16, GOOD_GIRLS_S3, end="2020-03-01")])])
    assert audit(path, "--select", "LA1") == []
    # Near miss: the same season audited a year later is 13 episodes short.
    (finding,) = audit(path, "--select", "LA1", as_of="2021-03-02")
    assert finding["rule"] == "LA102" and "season 3: 3 are listed" in finding["message"]


def test_a_finished_season_that_lists_nothing_is_reported(tmp_path):
    # Gilmore Girls season 8 (the 2016 revival): episodeOrder 4, no episodes.
    gilmore = show("Gilmore Girls", "Ended", "2000-10-05",
                   [season(7, 1, [episode(7, 1, "The Long Morrow", "2006-09-26")]), season(8, 4, [])])
    (finding,) = audit(write(tmp_path, [gilmore]), "--select", "LA1,LA4")
    assert finding["rule"] == "LA102" and finding["severity"] == "error"
    assert "season 8: 0 are listed" in finding["message"] and "\u201c4\u201d" in finding["message"]


def test_an_announced_season_is_neither_short_nor_out_of_range(tmp_path):
    running = show("Good Girls", "Running", "2018-02-26",
                   [season(3, 16, GOOD_GIRLS_S3, end="2020-03-01"), season(4, 16, [])])
    assert audit(write(tmp_path, [running]), "--select", "LA1,LA4") == []
    tmdb = {"id": 71789, "name": "Good Girls", "first_air_date": "2018-02-26",
            "number_of_seasons": 4, "number_of_episodes": 39, "status": "Returning Series",
            "in_production": True, "last_air_date": "2020-03-01",
            "seasons": [{"season_number": n, "episode_count": c, "air_date": d, "name": f"Season {n}"}
                        for n, c, d in ((1, 10, "2018-02-26"), (2, 13, "2019-03-03"),
                                        (3, 16, "2020-02-16"), (4, 0, None))]}
    path = tmp_path / "tmdb.json"
    path.write_text(json.dumps(tmdb), encoding="utf-8")
    assert audit(path, "--select", "LA1,LA4") == []


# --- one cause, one finding ---------------------------------------------------------------

def _fosters(dates: list[tuple[int, str]]) -> list[dict]:
    names = ["Pilot", "Consequently", "Saturday", "Hapa", "Clean", "Quinceañera"]
    return [show("The Fosters", "Ended", "2013-06-03",
                 [season(1, len(dates), [episode(1, n, names[i], d) for i, (n, d) in enumerate(dates)])])]


def test_a_placeholder_air_date_is_one_finding(tmp_path):
    path = write(tmp_path, _fosters([(1, "2013-06-03"), (2, "2013-06-10"), (3, "1970-01-01"),
                                     (4, "2013-06-24")]))
    (finding,) = audit(path, "--select", "LA3")
    assert finding["rule"] == "LA305"
    # What LA305 explains: without it, the same date is two LA303 findings.
    assert rules(audit(path, "--select", "LA303")) == ["LA303", "LA303"]


def test_a_placeholder_date_does_not_hide_another_order_slip(tmp_path):
    path = write(tmp_path, _fosters([(1, "2013-06-03"), (2, "1970-01-01"), (3, "2013-06-24"),
                                     (4, "2013-06-17")]))
    assert rules(audit(path, "--select", "LA3")) == ["LA303", "LA305"]


def test_a_repeated_episode_number_is_one_finding(tmp_path):
    path = write(tmp_path, _fosters([(1, "2013-06-03"), (2, "2013-06-17"), (2, "2013-06-10"),
                                     (3, "2013-06-24")]))
    (finding,) = audit(path, "--select", "LA1,LA3")
    assert finding["rule"] == "LA103" and "lists episode 2 2 times" in finding["message"]
    (order,) = audit(path, "--select", "LA303")
    assert "episode 2 aired 2013-06-10, before season 1 episode 2" in order["message"]


def test_a_number_gap_does_not_hide_an_order_slip_elsewhere(tmp_path):
    path = write(tmp_path, _fosters([(1, "2013-06-10"), (2, "2013-06-03"), (3, "2013-06-17"),
                                     (5, "2013-06-24")]))
    assert rules(audit(path, "--select", "LA1,LA3")) == ["LA103", "LA303"]


# --- premiere dates a time zone apart --------------------------------------------------------

def _tmdb(first_air_date: str, season_air_date: str) -> dict:
    # The shape of tmdb_scorpion.json (TMDB /tv/60797), its dates moved.
    return {"id": 60797, "name": "Scorpion", "first_air_date": first_air_date,
            "number_of_seasons": 1, "number_of_episodes": 22, "status": "Ended",
            "in_production": False, "last_air_date": "2015-04-20",
            "seasons": [{"season_number": 1, "episode_count": 22, "air_date": season_air_date}]}


def test_a_premiere_one_day_apart_between_two_fields_is_no_conflict(tmp_path):
    path = tmp_path / "scorpion.json"
    path.write_text(json.dumps(_tmdb("2014-09-22", "2014-09-23")), encoding="utf-8")
    assert audit(path, "--select", "LA302", as_of="2018-01-24") == []
    path.write_text(json.dumps(_tmdb("2014-09-22", "2014-09-29")), encoding="utf-8")
    (finding,) = audit(path, "--select", "LA302", as_of="2018-01-24")
    assert [e["text"] for e in finding["evidence"]] == ["2014-09-22", "2014-09-29"]


# --- the real TVmaze file ---------------------------------------------------------------------

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"


def test_the_real_tvmaze_layouts_agree_and_report_only_what_a_reader_confirms():
    import pytest
    if not REAL.is_dir():
        pytest.skip("../shared/data/real is absent (bare clone)")
    nested = audit(REAL / "tvmaze_girls_shows.json")
    embed = audit(REAL / "tvmaze_girls_shows.embedded.json")
    assert [(f["rule"], f["message"]) for f in nested] == [(f["rule"], f["message"]) for f in embed]
    by_rule: dict[str, list[str]] = {}
    for finding in nested:
        by_rule.setdefault(finding["rule"], []).append(finding["listing"]["title"])
    assert by_rule == {
        # Gilmore Girls season 8 (the 2016 revival): 4 ordered, none listed.
        "LA102": ["Gilmore Girls"],
        # The Powerpuff Girls (1998): S4E1 aired before S3E13, S5E14 before S5E13. The real
        # broadcast order, out of step with the numbering: worth a warning, not an error.
        "LA303": ["The Powerpuff Girls", "The Powerpuff Girls"],
        # Derry Girls' official titles are "Episode 1".."Episode 6" (a warning by design).
        "LA501": ["Derry Girls"] * 6,
    }
    # 741 episodes with 655 summaries: none is about another programme (LA503), specials
    # are not numbered, ordered or title-checked (LA103, LA202, LA303), and Good Girls
    # season 3, three weeks into its run at the snapshot, is not short of episodes (LA102).
