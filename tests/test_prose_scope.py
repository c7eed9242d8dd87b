"""Prose facts are about the listing as a whole, or they are no facts.

Descriptions tell a title's history, its other versions and works, one season's events,
plans and denials. None of these states the listing's own episode count, premiere or status.
Cases are the real descriptions of ../shared/data/real/justwatch_crunchyroll_titles.csv
(Dancougar, Mon Colle Knights) and of the Netflix/Disney+ catalogues, and the phrases
issue 8 lists; each class has near misses that must still be read.
"""

from __future__ import annotations

import pytest

from audit.ingest.prose import extract

DANCOUGAR = (
    "Dancougar - Super Beast Machine God is a super robot anime television series. The show ran "
    "for 38 episodes from 4 April 1985 to 17 December 1985 and was produced by Ashi Productions. "
    "Although the series was planned for 52 episodes, it was ended abruptly before a finale could "
    "be reached. Despite this, the series garnered enough popularity for the development of "
    "multiple OVA's. The 1986 OVA Requiem for Victims featured a recap of the television series "
    "and a newly-animated conclusion to the story. Additionally, there was a 1987 sequel OVA God "
    "Bless Dancouga. In 1989 the four-part Blazing Epilogue OVA series presented a new sequel.")
MON_COLLE = (
    "The Japanese version aired on TV Tokyo, consisting out of 51 episodes and with one movie "
    "made for the series. The Saban-produced Mon Colle Knights aired on Fox Kids in North America "
    "from July 2001 to September 2002, consisting out of 45 episodes. In 2006 it aired on Jetix "
    "on Sundays at 10:00 PM.")


def facts(text: str, title: str | None = None, field: str | None = None) -> list[tuple]:
    return [(f.field, f.value, f.text) for f in extract(text, title)
            if field is None or f.field == field]


def test_a_planned_run_and_a_later_ova_are_not_the_show():
    assert facts(DANCOUGAR, "Dancougar – Super Beast Machine God", "episode_count") == [
        ("episode_count", "38", "38 episodes")]


def test_two_versions_counts_are_no_claim():
    assert facts(MON_COLLE, "Mon Colle Knights", "episode_count") == []


@pytest.mark.parametrize("text", [
    "The cast reunites a decade after their eight-season run.",       # history of an earlier run
    "A four-part OVA followed in 1989.",                               # another work
    "The show had 45 episodes in the US version.",                     # another version
    "Although the series was planned for 52 episodes, it was cut short.",  # a plan
    "A boy is missing 48 parts of his body.",                          # not episodes at all
    "Two part-time actors become immersed in village life.",           # Netflix 2019, Journey to Greenland
    "This first of a two-part biopic depicts the early years.",        # one part of a whole
    "The manga was collected into 12 volumes over six seasons of serialization.",
])
def test_counts_that_are_not_this_listings(text):
    assert [f for f in facts(text) if f[0] in ("episode_count", "season_count")] == []


@pytest.mark.parametrize("text,field,value", [
    # Real Crunchyroll descriptions: counts of the show itself.
    ("It premiered in Japan on April 7, 1979, and lasted until January 26, 1980, spanning 43 episodes.",
     "episode_count", "43"),
    ("It aired from October 5, 1999 to March 28, 2000 on TV Tokyo, ran for 26 episodes.",
     "episode_count", "26"),
    ("This five-part nature series chronicles fascinating stories.", "episode_count", "5"),
    ("Hosted by Jason Silva, this eight-part series illuminates key developments.", "episode_count", "8"),
    ("The eight-episode series follows the astronauts.", "episode_count", "8"),
    ("The series' was broadcast between July 6, 2010 and March 25, 2012, divided into three seasons.",
     "season_count", "3"),
])
def test_counts_of_the_listing_are_still_read(text, field, value):
    assert [f[1] for f in facts(text, field=field)] == [value]


def test_one_seasons_premiere_is_not_the_shows():
    assert facts("The fourth season premiered on August 4, 2011.", field="premiere_date") == []
    assert facts("The 1986 OVA premiered on April 2, 1986.", field="premiere_date") == []
    # Near misses (Heroman, Sket Dance): the anime itself premiered.
    assert facts("The manga began serialization in September 2009, while the anime series "
                 "premiered on April 1, 2010, on TV Tokyo.", field="premiere_date") == [
        ("premiere_date", "2010-04-01", "premiered on April 1, 2010")]
    assert facts("The series premiered on August 4, 2011.", field="premiere_date")[0][1] == "2011-08-04"


def test_status_needs_the_listing_as_its_subject_and_no_denial():
    # Crunchyroll, Chaika - The Coffin Princess: a plot, not a status.
    assert facts("Toru is a retired soldier meandering through life now that the war has ended.",
                 "Chaika - The Coffin Princess", "status") == []
    assert facts("The Hoffmans weren't mentioned as returning, and the show is not currently "
                 "running.", field="status") == []
    assert facts("The manga ran from 1997 to 2006.", field="status") == []
    # Near misses: the listing's own status.
    assert facts("Dexter has ended.", "Dexter", "status") == [("status", "ended", "has ended")]
    assert facts("Harbour Lights is a series that has ended and has 2 seasons.", "Harbour Lights",
                 "status") == [("status", "ended", "has ended")]
    assert facts("The show ran from 2005 to 2013.", field="status")[0][1] == "ended"
    assert facts("The series is currently running.", field="status")[0][1] == "running"


def test_number_words_as_a_prefix_tree_match_as_the_plain_alternation():
    """The count patterns spell their number words as a tree of shared prefixes for speed;
    they must find exactly what the words tried longest first find: same spans, same number,
    on texts where words are prefixes of others (seven/seventeen/seventy-seven), joined by
    hyphens or spaces, in any case, and next to the units and the words the patterns refuse."""
    import random
    import re

    from audit.ingest import prose

    plain = r"(?P<n>\d{1,4}|" + "|".join(
        re.escape(w) for w in sorted(prose.NUMBER_WORDS, key=len, reverse=True)) + r")"
    assert prose._NUM != plain
    pairs = [(pattern, re.compile(pattern.pattern.replace(prose._NUM, plain), pattern.flags))
             for pattern in (prose.EPISODE_COUNT, prose.SEASON_COUNT)]
    vocabulary = [*prose.NUMBER_WORDS, "episodes", "episode", "Part", "parts", "chapters of",
                  "season", "Seasons", "SEASON", "the", "after", "first", "through", "in", "12",
                  "2017-18", "(4", "Twenty-One", "SEVENTY seven", "A Dozen", "\u017fix", "\u2013",
                  "finale", "part-time", "mini-series", "later", "\n", "-"]
    rng = random.Random(11)
    texts = [DANCOUGAR, MON_COLLE] + [
        rng.choice([" ", "-", "  ", "\t"]).join(rng.choices(vocabulary, k=rng.randint(2, 12)))
        for _ in range(3000)]
    found = 0
    for text in texts:
        for tree, alternation in pairs:
            ours = [(m.span(), m.group("n")) for m in tree.finditer(text)]
            assert ours == [(m.span(), m.group("n")) for m in alternation.finditer(text)], text
            found += len(ours)
    assert found > 300  # the texts exercise the patterns, not only their misses
