"""Every rule of the catalogue: a case that triggers it and near misses that must not.

Each test runs one rule alone (select_rules) over a small page written to tmp_path, or over
tables built with the Builder for fields only structured feeds carry, and asserts the rule id,
the severity and the evidence (line and exact text) of what it reports. False positives are
as serious as misses, so every rule has near misses taken from real listing prose.
"""

from __future__ import annotations

import codecs

import pytest

from audit.ingest.base import Builder
from audit.model import Severity
from rulecases import (DESCRIPTION, EPISODES, FOOTER, HEADER, RULES, SUMMARY, check_built,
                       check_page, check_paths, column_of, evidence, last_line_of, line_of, only,
                       page)

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
D0, D1, D2 = DESCRIPTION
# The default page's episode blocks, by position in EPISODES.
S1, S1E1, S1E1_DATE, S1E1_SYN, S1E2, S1E2_DATE, S1E2_SYN = EPISODES[0:7]
S2, S2E1, S2E1_DATE, S2E1_SYN, S2E2, S2E2_DATE, S2E2_SYN = EPISODES[7:14]

# Every rule id this file covers; test_every_rule_is_covered fails when rules/ grows.
COVERED = ["LA001", "LA002", "LA101", "LA102", "LA103", "LA201", "LA202", "LA203", "LA301", "LA302",
           "LA303", "LA304", "LA305", "LA306", "LA401", "LA402", "LA501", "LA502", "LA503",
           "LA504", "LA505", "LA506", "LA507", "LA508", "LA601", "LA602", "LA603", "LA604"]
# LA306, LA508 and LA604 (and real-catalogue cases of many others) are in test_rules_real_defects.py.


def test_every_rule_is_covered():
    assert sorted(rule.id for rule in RULES) == COVERED


@pytest.mark.parametrize("rule", COVERED)
def test_clean_page_is_silent(tmp_path, rule):
    """The default page is the near miss every case below starts from."""
    assert check_page(tmp_path, rule, page()) == []


def with_description(extra: str) -> str:
    return page(description=[f"{D0} {extra}", D1, D2])


# --- LA001 unreadable-input -------------------------------------------------------------

def test_la001_empty_file(tmp_path):
    finding = only(check_page(tmp_path, "LA001", b"\n  \n"), "LA001")
    assert finding.severity is ERROR
    assert finding.message.endswith("page.txt: the file is empty")
    assert evidence(finding) == [(None, "")]


def test_la001_binary_file(tmp_path):
    data = bytes(range(256)) * 8
    finding = only(check_page(tmp_path, "LA001", data, name="dump.txt"), "LA001")
    assert finding.severity is ERROR
    assert "binary" in finding.message


def test_la001_other_files_still_audited(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text(page(summary=SUMMARY.replace("2 seasons", "1 seasons")),
                                       encoding="utf-8")
    findings = check_paths([tmp_path / "empty.txt", tmp_path / "good.txt"], "LA001")
    assert [(f.rule, f.path.rsplit("/", 1)[-1]) for f in findings] == [("LA001", "empty.txt")]


@pytest.mark.parametrize("encode", [
    lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),
    lambda text: text.replace("Smugglers'", "Smugglers\u2019").encode("cp1252"),
], ids=["utf-16", "bom-crlf", "cp1252"])
def test_la001_near_miss_unusual_encodings_are_readable(tmp_path, encode):
    assert check_page(tmp_path, "LA001", encode(page())) == []


# --- LA101 episode-count-conflict -------------------------------------------------------

def test_la101_prose_count_against_summary_and_list(tmp_path):
    text = with_description("The eight-episode series follows Nell through two winters.")
    finding = only(check_page(tmp_path, "LA101", text), "LA101")
    assert finding.severity is ERROR
    assert evidence(finding) == [
        (line_of(text, "eight-episode"), "eight-episode series"),
        (line_of(text, "(4 episodes)"), "4 episodes"),
        (line_of(text, "1. The Harbourmaster"), "1. The Harbourmaster"),
    ]
    assert finding.evidence[0].column == column_of(text, "eight-episode series")
    assert finding.evidence[0].value == 8
    assert finding.message == (
        f"Episode counts disagree: the description says \u201ceight-episode series\u201d "
        f"(line {line_of(text, 'eight-episode')}); the summary sentence says \u201c4 episodes\u201d "
        f"(line {line_of(text, '(4 episodes)')}); 4 are listed "
        f"(lines {line_of(text, '1. The Harbourmaster')}-{line_of(text, S2E2_SYN[:30])}) "
        # A running show listing fewer episodes than stated may be mid-season: whether it is
        # a conflict depends on the audit date, so the message says which.
        f"(as of 2026-11-24)")


def test_la101_summary_against_list(tmp_path):
    text = page(summary=SUMMARY.replace("(4 episodes)", "(6 episodes)"))
    finding = only(check_page(tmp_path, "LA101", text), "LA101")
    assert [(e.line, e.text, e.value) for e in finding.evidence] == [
        (line_of(text, "(6 episodes)"), "6 episodes", 6),
        (line_of(text, "1. The Harbourmaster"), "1. The Harbourmaster", 4),
    ]


@pytest.mark.parametrize("prose", [
    "Each agency must select four crew members who will crew the lifeboat.",
    "The first season closes with a two-part finale.",
    "The first season closes with a two-part season finale.",
    "The story opens with a two-part pilot set during the great storm.",
    "It ends with a three-part series finale that divided critics.",
    "Her three brothers and two cousins all work on the boats.",
    "The first three episodes were filmed in Fowey.",
    "Each season runs six episodes.",
    "Filming of the four episodes took place in Cornwall.",
])
def test_la101_near_miss_numbers_that_are_no_episode_count(tmp_path, prose):
    assert check_page(tmp_path, "LA101", with_description(prose)) == []


def test_la101_near_miss_no_list_states_no_count(tmp_path):
    """A page without an episode list says nothing about how many are listed."""
    assert check_page(tmp_path, "LA101", page(episodes=[])) == []


# --- LA102 season-count-conflict --------------------------------------------------------

def test_la102_header_against_prose_and_list(tmp_path):
    text = page(header=["2025", "3 Seasons", HEADER[2]])
    finding = only(check_page(tmp_path, "LA102", text), "LA102")
    assert finding.severity is ERROR
    assert evidence(finding) == [
        (line_of(text, "3 Seasons"), "3 Seasons"),
        (line_of(text, "(4 episodes)"), "2 seasons"),
        (line_of(text, "1. The Harbourmaster"), "1. The Harbourmaster"),
    ]
    assert finding.message.startswith("Season counts disagree: the header says \u201c3 Seasons\u201d")


def test_la102_prose_season_count(tmp_path):
    text = with_description("The drama, spanning three seasons, is filmed in Fowey.")
    finding = only(check_page(tmp_path, "LA102", text), "LA102")
    assert (line_of(text, "spanning"), "three seasons") in evidence(finding)


def test_la102_episodes_of_one_season(tmp_path):
    """The season_episode_count check: prose about one season against that season's list."""
    text = with_description("The second season has three episodes.")
    finding = only(check_page(tmp_path, "LA102", text), "LA102")
    assert finding.severity is ERROR
    assert finding.message.startswith("Episode counts of a season disagree: season 2: ")
    assert evidence(finding) == [
        (line_of(text, "second season has"), "three episodes"),
        (line_of(text, "1. Smugglers"), "1. Smugglers' Moon"),
    ]


def test_la102_feed_season_episode_count():
    def build(b: Builder):
        lid = b.listing("Harbour Lights", line=2, kind="series", year=2025)
        b.claim(lid, "season_episode_count", 10, source="field", line=2, column=40, text="10",
                scope="season 1")
        b.claim(lid, "season_episode_count", 8, source="listed", line=9, column=1, text="s1e1",
                scope="season 1", end_line=16)
        b.claim(lid, "season_episode_count", 6, source="field", line=2, column=60, text="6",
                scope="season 2")
        b.claim(lid, "season_episode_count", 6, source="listed", line=17, column=1, text="s2e1",
                scope="season 2")
    finding = only(check_built("LA102", build), "LA102")
    assert "season 1:" in finding.message and "season 2" not in finding.message
    assert evidence(finding) == [(2, "10"), (9, "s1e1")]


@pytest.mark.parametrize("prose", [
    "After two seasons the show is still going strong.",
    "Two seasons later, Nell is harbourmaster in all but name.",
    "It has been renewed for a third season.",
    "Over three seasons of the original radio play, the story grew.",
    "Both seasons were filmed on location.",
])
def test_la102_near_miss_seasons_that_are_no_total(tmp_path, prose):
    assert check_page(tmp_path, "LA102", with_description(prose)) == []


def test_la102_near_miss_eleven_seasons_agree(tmp_path):
    """'has 11 seasons' is eleven, not one: a two-digit count must be read whole."""
    season_blocks = []
    for season in range(1, 12):
        season_blocks += [f"Season {season}", f"1. Homecoming Part {season}",
                          f"March {season}, 2026",
                          f"Nell Tarrant faces the fishing fleet at Porthmellon harbour, year {season}."]
    text = page(header=["2016", "11 Seasons", HEADER[2]],
                summary=SUMMARY.replace("2 seasons (4 episodes)", "11 seasons (11 episodes)"),
                episodes=season_blocks, footer=[("Premiere Date", "March 1, 2016"), FOOTER[1]])
    assert check_page(tmp_path, "LA102", text) == []
    assert check_page(tmp_path, "LA502", text) == []


# --- LA103 episode-numbering ------------------------------------------------------------

def test_la103_repeated_number(tmp_path):
    text = page(episodes=[S1, S1E1, S1E1_DATE, S1E1_SYN, "1. Storm Warning", S1E2_DATE, S1E2_SYN,
                          *EPISODES[7:]])
    finding = only(check_page(tmp_path, "LA103", text), "LA103")
    assert finding.severity is WARNING
    assert finding.message == "Episode numbering: season 1 lists episode 1 2 times"
    assert evidence(finding) == [(line_of(text, "1. The Harbourmaster"), "1"),
                                 (line_of(text, "1. Storm Warning"), "1")]


def test_la103_gap(tmp_path):
    text = page(episodes=[S1, S1E1, S1E1_DATE, S1E1_SYN, "4. Storm Warning", S1E2_DATE, S1E2_SYN,
                          *EPISODES[7:]])
    finding = only(check_page(tmp_path, "LA103", text), "LA103")
    assert finding.message == "Episode numbering: season 1 skips episode 2-3 (lists 1, then 4)"
    assert evidence(finding) == [(line_of(text, "1. The Harbourmaster"), "1"),
                                 (line_of(text, "4. Storm Warning"), "4")]


def test_la103_near_misses(tmp_path):
    # Seasons restart at 1 (the default page); newest first; a partial list from episode 5.
    newest_first = [S2, S2E2, S2E2_DATE, S2E2_SYN, S2E1, S2E1_DATE, S2E1_SYN,
                    S1, S1E2, S1E2_DATE, S1E2_SYN, S1E1, S1E1_DATE, S1E1_SYN]
    assert check_page(tmp_path, "LA103", page(episodes=newest_first)) == []
    partial = [S1, "5. The Harbourmaster", S1E1_DATE, S1E1_SYN, "6. Storm Warning", S1E2_DATE,
               S1E2_SYN, *EPISODES[7:]]
    assert check_page(tmp_path, "LA103", page(episodes=partial)) == []


def test_la103_specials_and_unnumbered_stay_out():
    def build(b: Builder):
        lid = b.listing("Harbour Lights", line=1)
        for index, (number, special) in enumerate([(1, False), (2, False), (0, True), (3, False)]):
            b.episode(lid, season=1, number=number, title=f"Part {index}", air_date=None,
                      synopsis=None, line=10 + index, special=special)
        b.episode(lid, season=1, number=None, title="Christmas", air_date=None, synopsis=None,
                  line=20)
    assert check_built("LA103", build) == []


# --- LA201 duplicated-synopsis ----------------------------------------------------------

def test_la201_one_synopsis_on_some_episodes_is_a_warning(tmp_path):
    text = page(episodes=[*EPISODES[:6], S1E1_SYN, *EPISODES[7:]])
    finding = only(check_page(tmp_path, "LA201", text), "LA201")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, S1E1_SYN), S1E1_SYN),
                                 (line_of(text, S1E1_SYN, 2), S1E1_SYN)]
    assert finding.message.startswith(
        f"One synopsis on 2 of 4 episodes (lines {line_of(text, S1E1_SYN)}, "
        f"{line_of(text, S1E1_SYN, 2)}): \u201cNell Tarrant takes over")


def test_la201_one_synopsis_on_every_episode_is_an_error(tmp_path):
    text = page(episodes=[*EPISODES[:6], S1E1_SYN, *EPISODES[7:10], S1E1_SYN,
                          *EPISODES[11:13], S1E1_SYN])
    finding = only(check_page(tmp_path, "LA201", text), "LA201")
    assert finding.severity is ERROR
    assert [line for line, _ in evidence(finding)] == [line_of(text, S1E1_SYN, n) for n in (1, 2, 3, 4)]
    assert finding.message.startswith("One synopsis on 4 of 4 episodes")


def test_la201_near_misses(tmp_path):
    # Short placeholders are LA501/LA502 business; the same text across two listings is not
    # a duplicate within a listing; case and spacing differences still count as one text.
    short = page(episodes=[S1, S1E1, S1E1_DATE, "TBA", S1E2, S1E2_DATE, "TBA", *EPISODES[7:]])
    assert check_page(tmp_path, "LA201", short) == []
    (tmp_path / "a.txt").write_text(page(), encoding="utf-8")
    (tmp_path / "b.txt").write_text(page(title="Harbour Lights Revisited"), encoding="utf-8")
    assert check_paths([tmp_path / "a.txt", tmp_path / "b.txt"], "LA201") == []
    spaced = page(episodes=[*EPISODES[:6], "  " + S1E1_SYN.upper().replace(" ", "  "),
                            *EPISODES[7:]])
    assert len(check_page(tmp_path, "LA201", spaced)) == 1


# --- LA202 duplicated-episode-title -----------------------------------------------------

def test_la202_same_title_twice(tmp_path):
    text = page(episodes=[S1, "1. Pilot", S1E1_DATE, S1E1_SYN, "2. pilot", S1E2_DATE, S1E2_SYN,
                          *EPISODES[7:]])
    finding = only(check_page(tmp_path, "LA202", text), "LA202")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, "1. Pilot"), "Pilot"),
                                 (line_of(text, "2. pilot"), "pilot")]
    assert finding.message == (f"The title \u201cPilot\u201d is on 2 episodes (lines "
                               f"{line_of(text, '1. Pilot')}, {line_of(text, '2. pilot')})")


@pytest.mark.parametrize("first,second", [
    ("The Finale (1)", "The Finale (2)"),
    ("The Finale, Part 1", "The Finale, Part 2"),
    ("TBA", "TBA"),
    ("Episode 1", "Episode 1"),
])
def test_la202_near_misses(tmp_path, first, second):
    text = page(episodes=[S1, f"1. {first}", S1E1_DATE, S1E1_SYN, f"2. {second}", S1E2_DATE,
                          S1E2_SYN, *EPISODES[7:]])
    assert check_page(tmp_path, "LA202", text) == []


# --- LA203 duplicate-listing ------------------------------------------------------------

def test_la203_same_title_and_year_in_two_files(tmp_path):
    (tmp_path / "a.txt").write_text(page(), encoding="utf-8")
    (tmp_path / "b.txt").write_text(page(title="harbour  lights"), encoding="utf-8")
    finding = only(check_paths([tmp_path / "a.txt", tmp_path / "b.txt"], "LA203"), "LA203")
    assert finding.severity is WARNING
    assert [(e.path.rsplit("/", 1)[-1], e.line, e.text) for e in finding.evidence] == [
        ("a.txt", 1, "Harbour Lights"), ("b.txt", 1, "harbour  lights")]
    assert finding.message.startswith("\u201cHarbour Lights\u201d appears 2 times: ")


def test_la203_records_with_stray_space():
    def build(b: Builder):
        b.listing("Consequences", line=6119, key="s6117", kind="Movie", year=2018)
        b.listing("Consequences ", line=6120, key="s6118", kind="Movie", year=2018)
    finding = only(check_built("LA203", build), "LA203")
    assert evidence(finding) == [(6119, "Consequences"), (6120, "Consequences ")]


def test_la203_near_misses(tmp_path):
    # A remake (another year), another kind, and one page read once.
    def build(b: Builder):
        b.listing("The Office", line=2, key="s1", kind="TV Show", year=2001)
        b.listing("The Office", line=3, key="s2", kind="TV Show", year=2005)
        b.listing("Dune", line=4, key="s3", kind="Movie", year=2021)
        b.listing("Dune", line=5, key="s4", kind="TV Show", year=2021)
    assert check_built("LA203", build) == []
    (tmp_path / "a.txt").write_text(page(), encoding="utf-8")
    (tmp_path / "b.txt").write_text(page(header=["2012", "2 Seasons", HEADER[2]]), encoding="utf-8")
    assert check_paths([tmp_path / "a.txt", tmp_path / "b.txt"], "LA203") == []
    assert check_paths([tmp_path / "a.txt", tmp_path / "a.txt"], "LA203") == []


# --- LA301 status-contradiction ---------------------------------------------------------

def test_la301_running_against_past_tense(tmp_path):
    text = page(description=[D0.replace("is a British", "was a British"), D1, D2])
    finding = only(check_page(tmp_path, "LA301", text), "LA301")
    assert finding.severity is ERROR
    assert evidence(finding) == [(line_of(text, "was a British"), "was a British coastal drama"),
                                 (line_of(text, "currently running"), "is currently running")]
    assert finding.message == (
        f"Status contradiction: the summary sentence says \u201cis currently running\u201d "
        f"(line {line_of(text, 'currently running')}), but the description says "
        f"\u201cwas a British coastal drama\u201d (line {line_of(text, 'was a British')}) "
        f"(as of 2026-11-24)")  # "currently running" is judged as of the audit date


def test_la301_running_against_ended_status(tmp_path):
    text = with_description("The show ran from 2019 to 2023.")
    finding = only(check_page(tmp_path, "LA301", text), "LA301")
    assert (line_of(text, "ran from"), "ran from 2019 to 2023") in evidence(finding)


def test_la301_running_against_stale_last_episode(tmp_path):
    old = [S1, S1E1, "March 3, 2015", S1E1_SYN, S1E2, "March 10, 2015", S1E2_SYN,
           S2, S2E1, "April 5, 2016", S2E1_SYN, S2E2, "April 12, 2016", S2E2_SYN]
    text = page(episodes=old, header=["2015", *HEADER[1:]],
                summary=SUMMARY.replace("2025", "2015"),
                footer=[("Premiere Date", "March 3, 2015"), FOOTER[1]])
    finding = only(check_page(tmp_path, "LA301", text), "LA301")
    assert evidence(finding) == [(line_of(text, "currently running"), "is currently running"),
                                 (line_of(text, "April 12, 2016"), "April 12, 2016")]
    assert finding.message.endswith(
        f"but the newest episode listed aired \u201cApril 12, 2016\u201d "
        f"(line {line_of(text, 'April 12, 2016')}) (as of 2026-11-24)")


def test_la301_stale_after_days_override(tmp_path):
    """The default page's newest episode aired 2026-04-12, 226 days before the as-of date."""
    text = page()
    assert check_page(tmp_path, "LA301", text, settings={"LA301": {"stale_after_days": 227}}) == []
    finding = only(check_page(tmp_path, "LA301", text,
                              settings={"LA301": {"stale_after_days": 225}}), "LA301")
    assert (line_of(text, "April 12, 2026"), "April 12, 2026") in evidence(finding)


@pytest.mark.parametrize("prose", [
    "The show was a surprise hit with critics.",
    "The show was a reboot of the 1990s series of the same name.",
    "The series was a co-production between the BBC and Netflix.",
    "Nell's father was a fisherman before the harbour closed.",
    "The season finale ended on a cliffhanger.",
    "The show was an instant hit and a cult comedy series.",
])
def test_la301_near_miss_past_tense_about_something_else(tmp_path, prose):
    assert check_page(tmp_path, "LA301", with_description(prose)) == []


def test_la301_near_miss_running_with_upcoming_episode(tmp_path):
    upcoming = [*EPISODES[:12], "December 14, 2026", S2E2_SYN]
    assert check_page(tmp_path, "LA301", page(episodes=upcoming)) == []


def test_la301_near_miss_ended_show_not_said_running(tmp_path):
    text = page(description=[D0.replace("is a British", "was a British"), D1, D2],
                summary=SUMMARY.replace("is currently running", "has ended"))
    assert check_page(tmp_path, "LA301", text) == []


# --- LA302 premiere-date-conflict -------------------------------------------------------

def test_la302_summary_against_footer_and_year(tmp_path):
    text = page(summary=SUMMARY.replace("March 3, 2025", "September 23, 2024"))
    finding = only(check_page(tmp_path, "LA302", text), "LA302")
    assert finding.severity is ERROR
    assert evidence(finding) == [
        (line_of(text, "\u2022 2025"), "2025"),
        (line_of(text, "first aired"), "first aired on September 23, 2024"),
        (last_line_of(text, "March 3, 2025"), "March 3, 2025"),
    ]


def test_la302_same_year_different_day(tmp_path):
    # Two days apart: one day apart is a time zone, not a conflict (issue 8).
    text = page(footer=[("Premiere Date", "March 5, 2025"), FOOTER[1]])
    finding = only(check_page(tmp_path, "LA302", text), "LA302")
    assert (line_of(text, "March 5, 2025"), "March 5, 2025") in evidence(finding)


@pytest.mark.parametrize("footer_date", ["2025", "3 March 2025", "2025-03-03", "Mar. 3, 2025"])
def test_la302_near_miss_same_date_written_differently(tmp_path, footer_date):
    text = page(footer=[("Premiere Date", footer_date), FOOTER[1]])
    assert check_page(tmp_path, "LA302", text) == []


def test_la302_near_miss_year_against_full_date(tmp_path):
    """The seed's case: header "2007", footer and summary "September 23, 2007"."""
    text = page(header=["2007", *HEADER[1:]],
                summary=SUMMARY.replace("March 3, 2025", "September 23, 2007"),
                footer=[("Premiere Date", "September 23, 2007"), FOOTER[1]])
    assert check_page(tmp_path, "LA302", text) == []


# --- LA303 air-date-order ---------------------------------------------------------------

def test_la303_episode_aired_before_the_previous_one(tmp_path):
    text = page(episodes=[*EPISODES[:5], "March 1, 2025", *EPISODES[6:]],
                footer=[("Premiere Date", "March 1, 2025"), FOOTER[1]],
                summary=SUMMARY.replace("March 3, 2025", "March 1, 2025"))
    finding = only(check_page(tmp_path, "LA303", text), "LA303")
    assert finding.severity is WARNING
    assert finding.message == ("Air dates out of order: season 1 episode 2 aired 2025-03-01, "
                               "before season 1 episode 1 (2025-03-03)")
    assert evidence(finding) == [(line_of(text, "March 3, 2025"), "March 3, 2025"),
                                 (line_of(text, "March 1, 2025", 2), "March 1, 2025")]


def test_la303_episode_before_premiere(tmp_path):
    text = page(footer=[("Premiere Date", "March 5, 2025"), FOOTER[1]],
                summary=SUMMARY.replace("March 3, 2025", "March 5, 2025"))
    finding = only(check_page(tmp_path, "LA303", text), "LA303")
    assert finding.message.startswith("An episode aired before the premiere: ")
    assert evidence(finding) == [
        (line_of(text, "first aired"), "first aired on March 5, 2025"),
        (line_of(text, "March 3, 2025"), "March 3, 2025"),
        (line_of(text, "March 5, 2025", 2), "March 5, 2025"),
    ]


def test_la303_ended_show_with_future_episode(tmp_path):
    upcoming = [*EPISODES[:12], "December 14, 2026", S2E2_SYN]
    text = page(episodes=upcoming, summary=SUMMARY.replace("is currently running", "has ended"))
    finding = only(check_page(tmp_path, "LA303", text), "LA303")
    assert finding.message.startswith("A show that has ended lists episodes after the as-of date")
    assert evidence(finding) == [(line_of(text, "has ended"), "has ended"),
                                 (line_of(text, "December 14, 2026"), "December 14, 2026")]


def test_la303_near_misses(tmp_path):
    # A running show's upcoming episode; newest-first order; a year-only premiere.
    upcoming = [*EPISODES[:12], "December 14, 2026", S2E2_SYN]
    assert check_page(tmp_path, "LA303", page(episodes=upcoming)) == []
    newest_first = [S2, S2E2, S2E2_DATE, S2E2_SYN, S2E1, S2E1_DATE, S2E1_SYN,
                    S1, S1E2, S1E2_DATE, S1E2_SYN, S1E1, S1E1_DATE, S1E1_SYN]
    assert check_page(tmp_path, "LA303", page(episodes=newest_first)) == []
    year_only = page(footer=[("Premiere Date", "2025"), FOOTER[1]],
                     summary=SUMMARY.replace("March 3, 2025", "2025"))
    assert check_page(tmp_path, "LA303", year_only) == []


# --- LA304 shared-air-date --------------------------------------------------------------

def one_date(blocks: list[str], date: str = "March 3, 2025") -> list[str]:
    return [date if block.endswith(("2025", "2026")) else block for block in blocks]


def test_la304_every_episode_one_date(tmp_path):
    text = page(episodes=one_date(EPISODES))
    finding = only(check_page(tmp_path, "LA304", text), "LA304")
    assert finding.severity is WARNING
    # The summary states the premiere first; the four episode dates follow.
    lines = [line_of(text, "March 3, 2025", n) for n in (2, 3, 4, 5)]
    assert evidence(finding) == [(line, "March 3, 2025") for line in lines]
    assert finding.message == (f"All 4 episodes carry one air date, March 3, 2025 (lines "
                               f"{', '.join(map(str, lines))})")


def test_la304_near_misses(tmp_path):
    # Two episodes on one day (a double bill) and three of four on one day.
    two = page(episodes=one_date(EPISODES[:7]), summary=SUMMARY.replace("2 seasons (4", "1 season (2"))
    assert check_page(tmp_path, "LA304", two) == []
    three_of_four = page(episodes=one_date(EPISODES[:11]) + EPISODES[11:])
    assert check_page(tmp_path, "LA304", three_of_four) == []


# --- LA305 sentinel-date ----------------------------------------------------------------

@pytest.mark.parametrize("date,label", [
    ("January 1, 1970", "the Unix epoch"),
    ("1970-01-01", "the Unix epoch"),
    ("1 January 1900", "a spreadsheet's day zero"),
])
def test_la305_sentinel_air_date(tmp_path, date, label):
    text = page(episodes=[S1, S1E1, date, *EPISODES[3:]])
    finding = only(check_page(tmp_path, "LA305", text), "LA305")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, date), date)]
    assert finding.message == f"air date \u201c{date}\u201d is a placeholder date ({label})"


def test_la305_sentinel_premiere_date(tmp_path):
    text = page(footer=[("Premiere Date", "2000-01-01"), FOOTER[1]])
    finding = only(check_page(tmp_path, "LA305", text), "LA305")
    assert evidence(finding) == [(line_of(text, "2000-01-01"), "2000-01-01")]
    assert "(a default date)" in finding.message


@pytest.mark.parametrize("date", ["January 10, 1970", "January 1, 1971", "2000-01-02"])
def test_la305_near_miss_real_dates_close_to_sentinels(tmp_path, date):
    text = page(episodes=[S1, S1E1, date, *EPISODES[3:]])
    assert check_page(tmp_path, "LA305", text) == []


def catalogue(rows: int, date_added=lambda i: "September 25, 2021"):
    def build(b: Builder):
        for i in range(rows):
            lid = b.listing(f"Title {i}", line=i + 2, key=f"s{i}", kind="Movie", year=2020)
            b.claim(lid, "date_added", date_added(i), source="field", line=i + 2, column=30,
                    text=date_added(i))
    return build


def test_la305_one_date_added_on_every_row():
    finding = only(check_built("LA305", catalogue(20)), "LA305")
    assert finding.severity is WARNING
    assert len(finding.evidence) == 20
    assert finding.evidence[0].line == 2 and finding.evidence[0].text == "September 25, 2021"
    assert finding.message == ("All 20 rows carry one date added, September 25, 2021: "
                               "a scrape or load date, not a real one")


def test_la305_near_miss_small_or_varied_catalogue():
    assert check_built("LA305", catalogue(19)) == []
    assert check_built("LA305", catalogue(40, lambda i: f"September {1 + i % 28}, 2021")) == []


# --- LA401 value-out-of-range -----------------------------------------------------------

@pytest.mark.parametrize("bullet,field_text,message", [
    ("67\u00a0 (351)", "67", "rating \u201c67\u201d is out of range: expected a number from 0 to 10"),
    ("6.7 (-3)", "-3", "votes \u201c-3\u201d is out of range: expected a whole number of at least 0"),
    ("6.7 (1.5)", "1.5", "votes \u201c1.5\u201d is out of range: expected a whole number of at least 0"),
    # The upper bound comes from the audit date, so the message says which.
    ("1850", "1850", "year \u201c1850\u201d is out of range: expected a number from 1888 to 2031 "
                     "(as of 2026-11-24)"),
    ("2032", "2032", "year \u201c2032\u201d is out of range: expected a number from 1888 to 2031 "
                     "(as of 2026-11-24)"),
    ("0 Seasons", "0 Seasons",
     "season count \u201c0 Seasons\u201d is out of range: expected a whole number of at least 1"),
])
def test_la401_out_of_range(tmp_path, bullet, field_text, message):
    text = page(header=[bullet])
    finding = only(check_page(tmp_path, "LA401", text), "LA401")
    assert finding.severity is ERROR
    assert finding.message == message
    assert evidence(finding) == [(line_of(text, bullet), field_text)]


@pytest.mark.parametrize("bullet", ["10 (3)", "0.0 (0)", "7.4/10 (1.2M)", "6.1 (4.1M)",
                                    "6.1 (1.1K)", "1888", "2031", "1 Season"])
def test_la401_near_miss_edges_and_abbreviations(tmp_path, bullet):
    assert check_page(tmp_path, "LA401", page(header=[bullet])) == []


def test_la401_episode_number_zero(tmp_path):
    text = page(episodes=[S1, "0. The Harbourmaster", *EPISODES[2:]])
    finding = only(check_page(tmp_path, "LA401", text), "LA401")
    assert evidence(finding) == [(line_of(text, "0. The Harbourmaster"), "0")]


def test_la401_max_years_ahead_override(tmp_path):
    text = page(header=["2029"])
    assert check_page(tmp_path, "LA401", text) == []
    finding = only(check_page(tmp_path, "LA401", text,
                              settings={"LA401": {"max_years_ahead": 2}}), "LA401")
    assert finding.message.endswith("expected a number from 1888 to 2028 (as of 2026-11-24)")


# --- LA402 rating-conflict --------------------------------------------------------------

def rated(header: str, footer: str) -> str:
    return page(header=["2025", "2 Seasons", header],
                footer=[FOOTER[0], ("IMDB Rating", footer)])


def test_la402_ratings_disagree(tmp_path):
    text = rated("6.7\u00a0 (351)", "7.6\u00a0 (351)")
    finding = only(check_page(tmp_path, "LA402", text), "LA402")
    assert finding.severity is ERROR
    assert evidence(finding) == [(line_of(text, "6.7"), "6.7"), (line_of(text, "7.6"), "7.6")]
    assert finding.message == (f"Ratings disagree: the header says \u201c6.7\u201d (line "
                               f"{line_of(text, '6.7')}); the footer box says \u201c7.6\u201d "
                               f"(line {line_of(text, '7.6')})")


@pytest.mark.parametrize("header,footer,votes", [
    ("6.7 (351)", "6.7 (362)", ("351", "362")),          # 11 votes, over 1% of 362
    ("6.7 (10,000)", "6.7 (10,200)", ("10,000", "10,200")),  # 200 votes, 2%
    ("6.7 (1.2K)", "6.7 (1,300)", ("1.2K", "1,300")),    # 1.2K is at most 1,250
    ("6.7 (1.2K)", "6.7 (1.4K)", ("1.2K", "1.4K")),
])
def test_la402_vote_counts_disagree(tmp_path, header, footer, votes):
    text = rated(header, footer)
    finding = only(check_page(tmp_path, "LA402", text), "LA402")
    assert finding.message.startswith("Vote counts disagree: the header says")
    assert [e.text for e in finding.evidence] == list(votes)
    assert [e.line for e in finding.evidence] == [line_of(text, header), line_of(text, footer)]


@pytest.mark.parametrize("header,footer", [
    ("6.7\u00a0 (351)", "6.7\u00a0 (351)"),
    ("6.7 (351)", "6.70 (351)"),
    ("6.7 (351)", "6.74 (351)"),         # within 0.05: the same rating rounded
    ("6.7 (351)", "6.7 (361)"),          # within 10 votes
    ("6.7 (10,000)", "6.7 (10,090)"),    # within 1%
    ("6.7 (1.2K)", "6.7 (1,234)"),       # 1,234 is what "1.2K" abbreviates
    ("6.7 (1.2K)", "6.7 (1,150)"),
    ("6.7 (4.1M)", "6.7 (4,123,456)"),
])
def test_la402_near_misses(tmp_path, header, footer):
    assert check_page(tmp_path, "LA402", rated(header, footer)) == []


# --- LA501 placeholder-title ------------------------------------------------------------

@pytest.mark.parametrize("title", ["Episode 4", "Ep. 12", "TBA", "Untitled", "To Be Announced"])
def test_la501_placeholder_episode_title(tmp_path, title):
    text = page(episodes=[S1, f"1. {title}", *EPISODES[2:]])
    finding = only(check_page(tmp_path, "LA501", text), "LA501")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, f"1. {title}"), title)]
    assert finding.evidence[0].column == 4
    assert finding.message == f"episode title \u201c{title}\u201d is a placeholder"


def test_la501_placeholder_listing_title(tmp_path):
    finding = only(check_page(tmp_path, "LA501", page(title="Untitled")), "LA501")
    assert evidence(finding) == [(1, "Untitled")]
    assert finding.message == "title \u201cUntitled\u201d is a placeholder"


@pytest.mark.parametrize("title", ["Chapter One: The Vanishing", "Part 2: The Return",
                                   "Episode of the Lost Lighthouse", "The Untitled Project",
                                   "Episode 4: A New Hope"])
def test_la501_near_miss_real_titles_with_numbers(tmp_path, title):
    text = page(episodes=[S1, f"1. {title}", *EPISODES[2:]])
    assert check_page(tmp_path, "LA501", text) == []


# --- LA502 template-artifact ------------------------------------------------------------

def test_la502_plural_after_one(tmp_path):
    text = page(summary=SUMMARY.replace("2 seasons", "1 seasons"))
    finding = only(check_page(tmp_path, "LA502", text), "LA502")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, "1 seasons"), "1 seasons")]
    assert finding.evidence[0].column == column_of(text, "1 seasons")
    assert finding.message == ("summary \u201c1 seasons\u201d is a template artifact "
                               "(a plural after one)")


@pytest.mark.parametrize("synopsis,match,label", [
    ("{title} returns to the harbour for the finale.", "{title}", "an unfilled placeholder"),
    ("Nell meets ${guest} on the quay.", "${guest}", "an unfilled placeholder"),
    ("N/A", "N/A", "an empty value written as text"),
    ("undefined", "undefined", "an empty value written as text"),
    ("Lorem ipsum dolor sit amet, consectetur.", "Lorem ipsum", "filler text"),
])
def test_la502_template_slips_in_synopsis(tmp_path, synopsis, match, label):
    text = page(episodes=[*EPISODES[:3], synopsis, *EPISODES[4:]])
    finding = only(check_page(tmp_path, "LA502", text), "LA502")
    assert evidence(finding) == [(line_of(text, synopsis), match)]
    assert finding.message == f"synopsis \u201c{match}\u201d is a template artifact ({label})"


@pytest.mark.parametrize("synopsis", [
    "An undefined threat rises from the sea near the harbour.",
    "Nell says none of the fleet will sail, and the answer is not applicable to Daniel.",
    "Nell gives 1 season ticket to Daniel.",
    "Daniel wins 11 episodes of the quiz show in a row.",
    "The crew wins 21 seasons of regattas.",
])
def test_la502_near_miss_ordinary_prose(tmp_path, synopsis):
    text = page(episodes=[*EPISODES[:3], synopsis, *EPISODES[4:]])
    assert check_page(tmp_path, "LA502", text) == []


def test_la502_near_miss_eleven_seasons(tmp_path):
    text = page(summary=SUMMARY.replace("2 seasons", "11 seasons"))
    assert check_page(tmp_path, "LA502", text) == []


# --- LA503 synopsis-mismatch ------------------------------------------------------------

OFF_TOPIC = ("China has stunned the world by leapfrogging over America's long-term plans and has "
             "landed a series of advanced rovers and robotic landers in their quest to make the "
             "most important discovery in history - extraterrestrial life on Mars.")


def test_la503_synopsis_about_another_programme(tmp_path):
    text = page(episodes=[*EPISODES[:10], OFF_TOPIC, *EPISODES[11:]])
    finding = only(check_page(tmp_path, "LA503", text), "LA503")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, "China has stunned"), OFF_TOPIC)]
    assert finding.message.startswith("The synopsis of episode(s) 1 seems to be about something else")
    assert "names America, China, Mars" in finding.message


def test_la503_near_miss_recurring_characters(tmp_path):
    """Characters the description never names but two synopses share are the show's own."""
    first = ("Kit Pengelly, the new lifeboat cox, arrives in the village and Father Amos blesses "
             "the boats before the winter.")
    second = ("Father Amos hides Kit Pengelly in the chapel crypt while customs officers search "
              "the quay for contraband.")
    text = page(episodes=[*EPISODES[:3], first, *EPISODES[4:10], second, *EPISODES[11:]])
    assert check_page(tmp_path, "LA503", text) == []


def test_la503_near_miss_an_episode_built_around_guests(tmp_path):
    """A guest-led episode names nobody the listing knows and shares few of its words, yet it
    is about the show: beside other, different synopses only a far lower overlap is reported."""
    guests = ("A gale drives the trawler Saint Piran onto the rocks, where Lowenna Bray waits "
              "for a husband who never comes home from Newlyn.")
    text = page(episodes=[*EPISODES[:3], guests, *EPISODES[4:]])
    assert check_page(tmp_path, "LA503", text) == []


def test_la503_near_miss_too_little_context(tmp_path):
    """A listing that says little about itself is not judged."""
    text = page(description=["A drama set in a harbour."], summary=None,
                episodes=[*EPISODES[:10], OFF_TOPIC, *EPISODES[11:]])
    assert check_page(tmp_path, "LA503", text) == []


# --- LA504 encoding-damage --------------------------------------------------------------

@pytest.mark.parametrize("synopsis,match,label", [
    ("Nell visits the cafÃ© on the quay.", "Ã©",
     "UTF-8 read as Windows-1252): repaired, it reads \u201ccaf\u00e9\u201d"),
    ("Nell\u2019s brother" .replace("\u2019", "â€™") + " returns.", "â€™",
     "UTF-8 read as Windows-1252): repaired, it reads \u201cNell\u2019s\u201d"),
    ("Nell &amp; Daniel argue over the harbour.", "&amp;", "an HTML entity)"),
    ("Nell argues with Daniel.<br>Then a storm comes.", "<br>", "an HTML tag)"),
    ("Nell visits the caf\ufffd on the quay.", "\ufffd", "a replacement character)"),
    ("Nell visits Eileen?s caf\u00e9 on the quay.", "?", "a character lost in re-encoding)"),
])
def test_la504_damage_in_synopsis(tmp_path, synopsis, match, label):
    text = page(episodes=[*EPISODES[:3], synopsis, *EPISODES[4:]])
    finding = only(check_page(tmp_path, "LA504", text), "LA504")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, synopsis), match)]
    assert finding.message == f"synopsis \u201c{match}\u201d looks like encoding damage ({label}"


def test_la504_near_miss_real_accents_and_symbols(tmp_path):
    synopsis = ("Nell & Daniel meet at the café, naïvely sure the storm is < 3 miles out; "
                "Ãlvaro from Porto says \u201cnão\u201d \u2014 and Père Noël laughs. What if? "
                "Who? Nell?")
    text = page(episodes=[*EPISODES[:3], synopsis, *EPISODES[4:]])
    assert check_page(tmp_path, "LA504", text) == []


# --- LA505 stray-whitespace -------------------------------------------------------------

def test_la505_non_breaking_space_in_page_title(tmp_path):
    text = page(title="Harbour\u00a0Lights")
    finding = only(check_page(tmp_path, "LA505", text), "LA505")
    assert finding.severity is INFO
    assert evidence(finding) == [(1, "\u00a0")]
    assert finding.evidence[0].column == 8
    assert finding.message == "title has a non-breaking space"


def record(**fields: str):
    def build(b: Builder):
        lid = b.listing(fields.get("title", "Consequences"), line=2, key="s6117", kind="Movie",
                        year=2018)
        for column, (name, value) in enumerate(fields.items(), start=1):
            b.claim(lid, name, value, source="field", line=2, column=column * 10, text=value)
    return build


def test_la505_record_fields():
    findings = check_built("LA505", record(title="Consequences ", cast=" Ana Ularu",
                                           country="Slovenia"))
    assert [(f.rule, f.severity, f.message, evidence(f)) for f in findings] == [
        ("LA505", INFO, "cast has leading white space", [(2, " ")]),
        ("LA505", INFO, "title has trailing white space", [(2, " ")]),
    ]
    # title is the record's first field (column 10), cast its second (column 20).
    assert [f.evidence[0].column for f in findings] == [20, 10 + len("Consequences")]


def test_la505_near_miss_inner_spaces_and_page_header(tmp_path):
    assert check_built("LA505", record(title="Consequences", cast="Ana Ularu, Matej Zemljič")) == []
    # The U+00A0 between a page's rating and votes is page layout, not a field.
    assert check_page(tmp_path, "LA505", page(header=["2025", "6.7\u00a0 (351)"])) == []


# --- LA506 spreadsheet-mangled ----------------------------------------------------------

@pytest.mark.parametrize("title,label", [("15-Aug", "turned into a date"),
                                         ("Feb-09", "turned into a date"),
                                         ("1.00E+05", "turned into a number")])
def test_la506_mangled_episode_title(tmp_path, title, label):
    text = page(episodes=[S1, f"1. {title}", *EPISODES[2:]])
    finding = only(check_page(tmp_path, "LA506", text), "LA506")
    assert finding.severity is WARNING
    assert evidence(finding) == [(line_of(text, f"1. {title}"), title)]
    assert finding.message == f"episode title \u201c{title}\u201d looks mangled by a spreadsheet ({label})"


def test_la506_mangled_record_values():
    findings = check_built("LA506", record(title="22-Jul", date_added="25-Sep-21", votes="1.2E+04"))
    assert [(f.message, evidence(f)) for f in findings] == [
        ("date added \u201c25-Sep-21\u201d looks mangled by a spreadsheet "
         "(a date re-formatted with a two-digit year)", [(2, "25-Sep-21")]),
        ("title \u201c22-Jul\u201d looks mangled by a spreadsheet (turned into a date)",
         [(2, "22-Jul")]),
        ("votes \u201c1.2E+04\u201d looks mangled by a spreadsheet (turned into a number)",
         [(2, "1.2E+04")]),
    ]


@pytest.mark.parametrize("title", ["22 July", "Catch-22", "Apollo 13", "May-December",
                                   "The 15th of August", "Agent 1E"])
def test_la506_near_miss_real_titles(tmp_path, title):
    text = page(episodes=[S1, f"1. {title}", *EPISODES[2:]])
    assert check_page(tmp_path, "LA506", text) == []
    assert check_built("LA506", record(title=title, date_added="September 25, 2021")) == []


# --- LA507 dangling-separator -----------------------------------------------------------

@pytest.mark.parametrize("value,match,label", [
    (", South Korea", ",", "an empty first item"),
    ("United States, ", ", ", "an empty last item"),
    ("Dramas,, International TV Shows", ",,", "an empty item"),
])
def test_la507_dangling_separator(value, match, label):
    finding = only(check_built("LA507", record(country=value)), "LA507")
    assert finding.severity is INFO
    assert evidence(finding) == [(2, match)]
    assert finding.message == f"country has a dangling separator \u201c{match}\u201d ({label})"


def test_la507_near_miss_ordinary_lists():
    assert check_built("LA507", record(country="United States, South Korea",
                                       cast="Kim Min-jae; Park Bo-young",
                                       listed_in="Dramas, International TV Shows")) == []
    # Prose commas are not list fields.
    assert check_built("LA507", record(description="Nell, Daniel, and the fleet,")) == []


# --- LA601 missing-field ----------------------------------------------------------------

def test_la601_empty_required_field():
    finding = only(check_built("LA601", record(content_rating="", director="")), "LA601")
    assert finding.severity is ERROR
    assert finding.message == "content rating is empty"
    assert evidence(finding) == [(2, "")]
    assert finding.evidence[0].field == "content_rating"


def test_la601_listing_without_title():
    def build(b: Builder):
        b.listing("My Honor Was Loyalty", line=6, key="s6", kind="Movie", year=2015)
        b.listing(None, line=7, key="s7", kind=None, year=2015)
    finding = only(check_built("LA601", build), "LA601")
    assert finding.message == "The listing has no title"
    assert finding.evidence[0].line == 7 and finding.evidence[0].field == "title"


def test_la601_reported_by_an_adapter():
    def build(b: Builder):
        lid = b.listing("Consequences", line=3, key="s1")
        b.problem("LA601", "the record has no 'type' field", line=3, column=1, text="{...}",
                  listing_id=lid, field_name="kind")
    finding = only(check_built("LA601", build), "LA601")
    assert finding.message == "the record has no 'type' field"
    assert evidence(finding) == [(3, "{...}")]


def test_la601_near_misses(tmp_path):
    # Optional fields may be empty; a page has its title on its first line.
    assert check_built("LA601", record(content_rating="TV-MA", director="", cast="",
                                       country="")) == []
    assert check_page(tmp_path, "LA601", page()) == []


# --- LA602 misplaced-value --------------------------------------------------------------

@pytest.mark.parametrize("fields,message", [
    ({"content_rating": "74 min"},
     "content rating \u201c74 min\u201d is not a known value (it looks like a duration)"),
    ({"content_rating": "2017"},
     "content rating \u201c2017\u201d is not a known value (it looks like a year)"),
    ({"content_rating": "Family"}, "content rating \u201cFamily\u201d is not a known value"),
    ({"duration": "TV-14"},
     "duration \u201cTV-14\u201d is not a known value (it looks like a content rating)"),
    ({"rating": "seven"}, "rating \u201cseven\u201d is not a number"),
])
def test_la602_misplaced_or_unreadable(fields, message):
    finding = only(check_built("LA602", record(**fields)), "LA602")
    assert finding.severity is ERROR
    assert finding.message == message
    value = next(iter(fields.values()))
    assert evidence(finding) == [(2, value)]


def test_la602_page_rating_that_is_no_number(tmp_path):
    text = page(footer=[FOOTER[0], ("IMDB Rating", "TV-MA")])
    finding = only(check_page(tmp_path, "LA602", text), "LA602")
    assert evidence(finding) == [(line_of(text, "TV-MA"), "TV-MA")]


@pytest.mark.parametrize("unrated", ["Not yet rated", "N/A", "-"])
def test_la602_near_miss_a_show_nobody_has_rated_yet(tmp_path, unrated):
    text = page(footer=[FOOTER[0], ("IMDB Rating", unrated)])
    assert check_page(tmp_path, "LA602", text) == []
    assert check_page(tmp_path, "LA502", text) == []


def test_la505_near_miss_spaces_around_a_page_title_are_layout(tmp_path):
    assert check_page(tmp_path, "LA505", page(title="Harbour Lights").replace(
        "Harbour Lights\n", "  Harbour Lights  \n", 1)) == []


def test_la602_value_the_table_schema_cannot_type():
    def build(b: Builder):
        b.listing("Consequences", line=4, key="s4", kind="Movie", year="19xx")
    finding = only(check_built("LA602", build), "LA602")
    assert finding.message == "year \u201c19xx\u201d is not a number"
    assert evidence(finding) == [(4, "19xx")]


@pytest.mark.parametrize("fields", [
    {"content_rating": "TV-MA"}, {"content_rating": "PG-13"}, {"content_rating": "TV-Y7-FV"},
    {"content_rating": ""}, {"duration": "90 min"}, {"duration": "2 Seasons"},
    {"duration": "1 Season"}, {"rating": "7.4"},
])
def test_la602_near_misses(fields):
    def build(b: Builder):
        record(**fields)(b)
        if "rating" in fields:   # a number-typed claim carries its number
            b.out.claims[-1]["number"] = float(fields["rating"])
    assert check_built("LA602", build) == []


# --- LA603 kind-duration-conflict -------------------------------------------------------

def typed(kind: str, **claims):
    def build(b: Builder):
        lid = b.listing("Some Title", line=42, key="s42", kind=kind, year=2020)
        b.claim(lid, "kind", kind, source="field", line=42, column=5, text=kind.title())
        for name, (value, text) in claims.items():
            b.claim(lid, name, value, source="field", line=42, column=60, text=text)
    return build


def test_la603_movie_with_seasons():
    finding = only(check_built("LA603", typed("movie", season_count=(3, "3 Seasons"))), "LA603")
    assert finding.severity is ERROR
    assert evidence(finding) == [(42, "Movie"), (42, "3 Seasons")]
    assert finding.message == ("Kind and duration disagree: the record gives kind \u201cMovie\u201d "
                               "(line 42), but the record gives season count \u201c3 Seasons\u201d "
                               "(line 42)")


def test_la603_series_with_running_time():
    finding = only(check_built("LA603", typed("series", runtime=(90, "90 min"))), "LA603")
    assert evidence(finding) == [(42, "Series"), (42, "90 min")]


def test_la603_near_misses(tmp_path):
    assert check_built("LA603", typed("movie", runtime=(98, "98 min"))) == []
    assert check_built("LA603", typed("series", season_count=(2, "2 Seasons"))) == []
    assert check_built("LA603", typed("miniseries", season_count=(1, "1 Season"))) == []
    # A page that calls itself a mini-series and has one season.
    text = with_description("The mini-series was filmed in Cornwall.")
    assert check_page(tmp_path, "LA603", text) == []
