"""Defects real catalogues carry, and the real values that must not be taken for defects.

Every case is a row copied from a real public catalogue (Disney+ and Netflix titles in the
Netflix layout, a Crunchyroll catalogue in the JustWatch layout, a Wikipedia episode table),
written to a CSV in tmp_path and read by the CSV reader, so a test exercises what a user runs.
Each defect has a near miss from the same catalogues that must stay quiet.
"""

from __future__ import annotations

import pytest

from audit.ingest.mapping import validate_mapping
from audit.model import Severity
from rulecases import AS_OF, RULES, evidence, only
from audit.pipeline import audit
from audit.ruleset import select_rules

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

NETFLIX_HEADER = ("show_id,type,title,director,cast,country,date_added,release_year,rating,"
                  "duration,listed_in,description")
JUSTWATCH_HEADER = ("id,title,type,description,release_year,age_certification,runtime,genres,"
                    "production_countries,seasons,imdb_id,imdb_score,imdb_votes,tmdb_popularity,"
                    "tmdb_score")
# The JustWatch layout read with runtime mapped: per episode for a SHOW, of the film for a MOVIE.
JUSTWATCH = validate_mapping({"listings": {
    "id": "id", "id_prefix": "justwatch:",
    "columns": {"title": "title", "kind": "type", "description": "description",
                "year": "release_year", "content_rating": "age_certification",
                "runtime": "runtime", "genres": "genres", "country": "production_countries",
                "season_count": "seasons", "rating": "imdb_score", "votes": "imdb_votes"},
    "kinds": {"SHOW": "series", "MOVIE": "movie"}}})

# Disney+ (disney_plus_titles.csv), verbatim.
OBI_WAN = ('s28,Movie,Obi-Wan Kenobi,,,,"November 12, 2021",2021,TV-PG,1 min,"Action-Adventure, '
           'Science Fiction","A behind the scenes look of the ""Obi-Wan Kenobi"" special event '
           'series. Coming to Disney+ in 2022."')
WILLOW = ('s42,Movie,Willow,,,,"November 12, 2021",2021,TV-PG,3 min,"Action-Adventure, Fantasy",'
          '"Meet the cast of the all-new Disney+ fantasy-adventure series ""Willow."" Coming to '
          'Disney+ in 2022."')
BAYMAX = ('s16,Movie,Baymax!,,,,"November 12, 2021",2021,TV-G,1 min,Animation,'
          '\u201cBaymax!\u201d premieres on Disney+ summer 2022.')
FAMILY_SHORT = ('s354,Movie,From Our Family to Yours,Angela Affinita,,United Kingdom,'
                '"November 27, 2020",2020,TV-G,3 min,"Animation, Family","A granddaughter brings '
                'joy on Christmas by mending a beloved Mickey, evoking memories of the past."')
PIXAR_SPECIAL = ('s31,Movie,Pixar 2021 Disney+ Day Special,,Pete Docter,,"November 12, 2021",2021,'
                 'TV-G,5 min,"Animation, Documentary, Family","Join Pete Docter for a tour around '
                 'Pixar and get a sneak peek at several upcoming Disney+ releases."')
SUNRISE = ('s333,TV Show,Disney Parks Sunrise Series,,,,"December 18, 2020",2021,TV-G,1 Season,'
           '"Animals & Nature, Docuseries, Family","An inspiring view of Disney Parks few have '
           'experienced before, at sunrise. Previously Recorded."')
CARS_TOON = ('s786,Movie,Cars Toon: The Radiator Springs 500 1/2,"Rob Gibbs, Scott Morse",'
             '"Owen Wilson, Larry the Cable Guy , Steve Purcell, Jess Harnell, John Cygan, '
             '\u00a0Danny \u00a0Mann",United States,"November 12, 2019",2014,TV-Y7,6 min,'
             '"Animation, Comedy, Family",Baja racers descend on Radiator Springs.')
LEGO = ('s1010,Movie,LEGO Star Wars:\u00a0The New Yoda Chronicles \u2013 Duel of the Skywalkers,'
        'Michael Hegner,"Tom Kane, Anthony Daniels, Matt Sloan, Trevor Devall, Kirby Morrow, '
        'Sam Vincent",United States,"November 12, 2019",2014,TV-Y7,24 min,"Action-Adventure, '
        'Animation, Comedy",Luke Skywalker accidently opens a remaining holocron.')
# Netflix 2019 (netflix_titles_2019.csv): series whose release year is the newest season's.
FULLER_HOUSE = ('s2312,TV Show,Fuller House,,"Candace Cameron Bure, Jodie Sweetin",United States,'
                '"December 6, 2019",2020,TV-G,5 Seasons,"Kids\' TV, TV Comedies","It\'s been '
                'years since the Tanners shared a house, but now DJ is widowed."')
INCOMING = ('s2982,Movie,Incoming,Eric Zaragosa,"Scott Adkins, Aaron McCusker",Serbia,'
            '"October 26, 2018",2019,TV-MA,89 min,Action & Adventure,"A team of CIA agents must '
            'stop a group of terrorists who have taken over a prison in space."')
# Crunchyroll in the JustWatch layout (justwatch_crunchyroll_titles.csv).
COWBOY_BEBOP = ('ts34435,Cowboy Bebop,SHOW,"In 2071, roughly fifty years after an accident with a '
                'hyperspace gateway made the Earth almost uninhabitable, humanity has colonized '
                'most of the rocky planets.",1998,TV-14,25,"[\'western\', \'action\', \'scifi\']",'
                '[\'JP\'],1,tt0213338,8.9,112887,34.769,8.5')
KITE = ('ts26242,Kite Liberator,SHOW,"KITE Liberator is an American-released, Japanese-produced '
        'direct-to-video anime film and sequel to Kite.",2008,,0,"[\'drama\', \'animation\']",'
        '[\'JP\'],1,,,,2.346,4')
SHAMBALLA = ('tm176185,Fullmetal Alchemist the Movie: Conqueror of Shamballa,MOVIE,"Alphonse '
             'searches for his brother.",2005,,105,"[\'animation\', \'action\']",[\'JP\'],,tt0485323,'
             '7.3,14811,10.542,7.3')


def catalogue(tmp_path, *rows: str, header: str = NETFLIX_HEADER, name: str = "titles.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def check(path, rule: str, *, mapping: dict | None = None, settings: dict | None = None,
          as_of=AS_OF):
    rules = select_rules(RULES, [rule], None)
    return audit([str(path)], rules, as_of=as_of, settings=settings, mapping=mapping).findings


# --- LA603: a series with seasons and an episode runtime is normal ---------------------------

def test_la603_justwatch_series_with_seasons_and_episode_runtime_is_normal(tmp_path):
    path = catalogue(tmp_path, COWBOY_BEBOP, SHAMBALLA, header=JUSTWATCH_HEADER)
    assert check(path, "LA603", mapping=JUSTWATCH) == []


def test_la603_series_with_nothing_but_a_running_time_conflicts(tmp_path):
    # Cowboy Bebop with its seasons cell emptied: 25 minutes is all the row says.
    row = COWBOY_BEBOP.replace(",1,tt0213338", ",,tt0213338")
    finding = only(check(catalogue(tmp_path, row, header=JUSTWATCH_HEADER), "LA603",
                         mapping=JUSTWATCH), "LA603")
    assert finding.severity is ERROR
    assert [e.text for e in finding.evidence] == ["SHOW", "25"]


def test_la603_prose_seasons_do_not_excuse_a_series_runtime(tmp_path):
    # "four seasons" in a description is not the record's own season count.
    row = ('s1,TV Show,Some Saga,,,,"June 1, 2020",2010,TV-14,90 min,Anime Series,'
           '"The saga ran for four seasons on Japanese television."')
    assert only(check(catalogue(tmp_path, row), "LA603"), "LA603").severity is ERROR


# --- LA602: content ratings of real catalogues ----------------------------------------------

def _rated(rating: str) -> str:
    return f's1,Movie,Some Film,,,,"June 1, 2020",2019,{rating},90 min,Dramas,A film.'


@pytest.mark.parametrize("rating", [
    "TV-MA", "TV-Y7-FV", "TV-NR", "NR", "UR", "UNRATED", "NOT RATED", "13+", "16+", "18+",
    "7+", "ALL", "ALL_AGES", "PG-13", "NC-17", "12A", "15", "U/A 13+", "UA", "FSK 12", "MA15+",
    "R18+", "14A", "PG12", "L",
])
def test_la602_real_content_rating_vocabularies_are_known(tmp_path, rating):
    assert check(catalogue(tmp_path, _rated(rating)), "LA602") == []


@pytest.mark.parametrize("rating,resembles", [
    ("74 min", " (it looks like a duration)"),          # Netflix 2021, s5542 Louis C.K. 2017
    ("AGES_18_", " (it looks like a code cut short)"),   # a fixed-width export's AGES_18_PLUS
    ("NOT_RATE", " (it looks like a code cut short)"),
    ("Family", ""),
])
def test_la602_durations_truncated_codes_and_free_text_stay_defects(tmp_path, rating, resembles):
    finding = only(check(catalogue(tmp_path, _rated(rating)), "LA602"), "LA602")
    assert finding.severity is ERROR
    assert finding.message == (f"content rating \u201c{rating}\u201d is not a known value"
                               f"{resembles}")


def test_la602_a_team_extends_the_vocabulary_in_its_configuration(tmp_path):
    path = catalogue(tmp_path, _rated("K-12"), _rated("NOT_RATE").replace("s1,", "s2,"))
    settings = {"LA602": {"more_content_ratings": ["K-12"]}}
    finding = only(check(path, "LA602", settings=settings), "LA602")
    assert evidence(finding) == [(3, "NOT_RATE")]


# --- LA401: a running time of 0 minutes ------------------------------------------------------

def test_la401_runtime_of_zero_minutes(tmp_path):
    path = catalogue(tmp_path, COWBOY_BEBOP, KITE, header=JUSTWATCH_HEADER)
    finding = only(check(path, "LA401", mapping=JUSTWATCH), "LA401")
    assert finding.listing_title == "Kite Liberator"
    assert finding.message == "runtime \u201c0\u201d is out of range: expected a number of at least 1"


# --- LA604: a promotional clip filed as a movie ----------------------------------------------

def test_la604_promos_filed_as_movies(tmp_path):
    findings = check(catalogue(tmp_path, BAYMAX, OBI_WAN, WILLOW), "LA604")
    assert [(f.listing_title, f.severity, f.line) for f in findings] == [
        ("Baymax!", WARNING, 2), ("Obi-Wan Kenobi", WARNING, 3), ("Willow", WARNING, 4)]
    assert [e.text for e in findings[1].evidence][:2] == ["Movie", "1 min"]
    assert findings[1].message.startswith(
        "A promotional clip filed as a movie: the record gives kind \u201cMovie\u201d (line 3) and "
        "the record gives runtime \u201c1 min\u201d (line 3), and it announces a release:")


def test_la604_near_misses_short_films_and_a_longer_special(tmp_path):
    # A three-minute short described as a film; a five-minute special with a "sneak peek";
    # a feature whose description mentions 2022; a series teaser (series have no runtime).
    feature = OBI_WAN.replace("1 min", "95 min")
    series = OBI_WAN.replace("Movie", "TV Show").replace("1 min", "1 Season")
    path = catalogue(tmp_path, FAMILY_SHORT, PIXAR_SPECIAL, feature, series)
    assert check(path, "LA604") == []


# --- LA306: added before its release ---------------------------------------------------------

def test_la306_release_year_after_the_date_added(tmp_path):
    findings = check(catalogue(tmp_path, SUNRISE, INCOMING), "LA306")
    assert [(f.listing_title, f.severity) for f in findings] == [
        ("Disney Parks Sunrise Series", WARNING), ("Incoming", WARNING)]
    assert findings[0].message == (
        "Added before its release: the record gives year \u201c2021\u201d (line 2), but the "
        "record gives date added \u201cDecember 18, 2020\u201d (line 2)")
    assert [e.text for e in findings[0].evidence] == [
        "TV Show", "December 18, 2020", "2021", "1 Season"]


def test_la306_near_misses(tmp_path):
    # Five seasons: the release year is the newest season's. Added in the year of release.
    same_year = INCOMING.replace("2019,TV-MA", "2018,TV-MA")
    assert check(catalogue(tmp_path, FULLER_HOUSE, same_year), "LA306") == []


# --- LA505: invisible characters and stray spaces --------------------------------------------

def test_la505_space_before_a_comma_and_non_breaking_spaces_in_a_cast_list(tmp_path):
    finding = only(check(catalogue(tmp_path, CARS_TOON), "LA505"), "LA505")
    assert finding.severity is INFO
    assert finding.message == "cast has a space before a comma and a non-breaking space"
    assert [(e.field, e.text) for e in finding.evidence] == [("cast", " "), ("cast", "\u00a0")]


def test_la505_non_breaking_space_inside_a_title(tmp_path):
    finding = only(check(catalogue(tmp_path, LEGO), "LA505"), "LA505")
    assert finding.message == "title has a non-breaking space"
    assert finding.evidence[0].column == LEGO.index("\u00a0") + 1


def test_la505_zero_width_space_and_trailing_space_in_a_description(tmp_path):
    # Netflix 2019: "\u200bGoli Soda 2"; a synopsis ending in spaces.
    row = ('s2460,Movie,\u200bGoli Soda 2,Vijay Milton,"Samuthirakani, Bharath Seeni",India,'
           '"September 15, 2018",2018,TV-14,128 min,"Action & Adventure, Dramas",'
           '"A gangster, a cabbie and a private security guard take on a politician.  "')
    findings = check(catalogue(tmp_path, row), "LA505")
    assert sorted((f.evidence[0].field, f.message) for f in findings) == [
        ("description", "description has trailing white space"),
        ("title", "title has a zero-width space")]


def test_la505_non_breaking_spaces_inside_air_dates(tmp_path):
    # Wikipedia's Regular Show table: every air date is "September\u00a06,\u00a02010".
    header = "No.overall,No. inseason,Title,Original air date,Season"
    rows = ['1,1,"""The Power""","September\u00a06,\u00a02010",1',
            '2,2,"""Just Set Up the Chairs""","September\u00a06,\u00a02010",1']
    path = catalogue(tmp_path, *rows, header=header)
    mapping = validate_mapping({"episodes": {"id": "Season", "columns": {
        "season": "Season", "episode_number": "No. inseason", "episode_title": "Title",
        "air_date": "Original air date"}}})
    findings = check(path, "LA505", mapping=mapping)
    assert [(f.evidence[0].field, f.message) for f in findings] == [
        ("air_date", "air date has a non-breaking space")] * 2


def test_la505_near_misses(tmp_path):
    # Prose keeps its non-breaking spaces (Crunchyroll: "Hikada Sana\u00a0returns"); a
    # comma after a word; an ordinary cast list; "1/2" in a title.
    row = ('ts1,Sana,SHOW,"Hikada Sana\u00a0returns to his home town after five years.",2016,'
           'TV-14,24,"[\'drama\']",[\'JP\'],1,,,,1.0,7')
    assert check(catalogue(tmp_path, row, header=JUSTWATCH_HEADER), "LA505",
                 mapping=JUSTWATCH) == []
    clean = CARS_TOON.replace("Guy ,", "Guy,").replace("\u00a0", "")
    assert check(catalogue(tmp_path, clean, name="clean.csv"), "LA505") == []


# --- LA502: sentinels and Python list literals -----------------------------------------------

def test_la502_python_list_literals_and_empty_lists(tmp_path):
    # Crunchyroll: every genres and production_countries cell is a Python list; "[]" is none.
    empty = COWBOY_BEBOP.replace("['JP']", "[]")
    findings = check(catalogue(tmp_path, empty, header=JUSTWATCH_HEADER), "LA502",
                     mapping=JUSTWATCH)
    assert sorted((f.evidence[0].field, f.message) for f in findings) == [
        ("country", "country \u201c[]\u201d is a template artifact (an empty list written as text)"),
        ("genres", "genres \u201c['western', 'action', 'scifi']\u201d is a template artifact "
                   "(a Python list literal)")]
    assert {f.severity for f in findings} == {WARNING}


@pytest.mark.parametrize("field,cell,match,label", [
    ("cast", "Not Available", "Not Available", "an empty value written as text"),
    ("director", "None", "None", "an empty value written as text"),
    ("country", "N/A", "N/A", "an empty value written as text"),
    ("description", "TBD", "TBD", "an empty value written as text"),
    ("cast", "-", "-", "an empty value written as text"),
    ("cast", "Tom Kane, null, Matt Sloan", "null", "an empty item written as text"),
    ("country", "United States, N/A", "N/A", "an empty item written as text"),
])
def test_la502_sentinel_text_in_people_country_and_description(tmp_path, field, cell, match, label):
    columns = NETFLIX_HEADER.split(",")
    values = dict(zip(columns, ["s9", "Movie", "Some Film", "", "", "", '"June 1, 2020"', "2019",
                                "TV-PG", "90 min", "Dramas", "A film."]))
    values[field] = f'"{cell}"'
    finding = only(check(catalogue(tmp_path, ",".join(values.values())), "LA502"), "LA502")
    assert finding.message == f"{field} \u201c{match}\u201d is a template artifact ({label})"


def test_la502_near_misses(tmp_path):
    # "TBD" as a title is LA501's; "Unknown" (2011) and "None" inside prose are real text;
    # names that begin like a sentinel are names.
    rows = ['s1,Movie,TBD,,,,"June 1, 2020",2019,TV-PG,90 min,Dramas,A film.',
            's2,Movie,Unknown,Jaume Collet-Serra,"Liam Neeson, Diane Kruger",Germany,'
            '"June 1, 2020",2011,PG-13,113 min,Thrillers,None of his friends know him.',
            's3,Movie,Nanette,,"Hannah Gadsby, Nonso Anozie",Australia,"June 1, 2020",2018,'
            'TV-MA,69 min,Stand-Up Comedy,A comedian takes stock. TBD no more.']
    assert check(catalogue(tmp_path, *rows), "LA502") == []


# --- LA508: test and QA records --------------------------------------------------------------

@pytest.mark.parametrize("title,description,expected", [
    ("[TEST] Encoding smoke test", "A film.",
     [("title", "title \u201c[TEST]\u201d looks like a test record (a test marker and a smoke test)")]),
    ("QA_upload_0042", "A film.",
     [("title", "title \u201cQA_\u201d looks like a test record (a test marker)")]),
    ("Harbour Lights", "Summary goes here.",
     [("description", "description \u201cSummary goes here\u201d looks like a test record "
                      "(stand-in text)")]),
    ("Harbour Lights", "Tombstoned record, do not publish.",
     [("description", "description \u201cTombstoned\u201d looks like a test record "
                      "(a tombstoned record and a note not to publish)")]),
    ("Harbour Lights", "test",
     [("description", "description \u201ctest\u201d looks like a test record (a test value)")]),
    ("Harbour Lights (QA)", "QA test record for the ingest pipeline.",
     [("description", "description \u201ctest record\u201d looks like a test record (a test record)"),
      ("title", "title \u201c(QA)\u201d looks like a test record (a test marker)")]),
])
def test_la508_test_records(tmp_path, title, description, expected):
    row = f's9001,Movie,"{title}",,,,"June 1, 2021",2021,TV-G,1 min,Dramas,"{description}"'
    findings = check(catalogue(tmp_path, row), "LA508")
    assert sorted((f.evidence[0].field, f.message) for f in findings) == expected
    assert {f.severity for f in findings} == {WARNING}


def test_la508_near_misses_real_titles_and_prose(tmp_path):
    rows = [
        # The 2014 film "Test"; real titles from Netflix 2019, Crunchyroll and Disney+.
        's1,Movie,Test,Chris Mason Johnson,"Scott Marlowe, Matthew Risch",United States,'
        '"June 1, 2017",2013,TV-MA,89 min,Dramas,"In 1985, a young dancer faces a new test."',
        's2,TV Show,Johnny Test,,,,"July 1, 2017",2005,TV-Y7,1 Season,Kids\' TV,A boy genius tests.',
        's3,Movie,Attitude Test,,,,"July 1, 2017",2017,TV-14,90 min,Comedies,Friends put to the test.',
        's4,TV Show,Anti-Magic Academy: The 35th Test Platoon,,,Japan,"July 1, 2017",2015,TV-14,'
        '1 Season,Anime Series,A platoon of misfits.',
        's5,Movie,Untitled Horror Movie,Nick Simon,,United States,"July 1, 2021",2021,TV-MA,'
        '83 min,Horror,Six actors film a horror movie during lockdown.',
        's6,Movie,Tombstone,George P. Cosmatos,"Kurt Russell, Val Kilmer",United States,'
        '"July 1, 2019",1993,R,130 min,Westerns,"Wyatt Earp rides into Tombstone, Arizona."',
        's7,Movie,Smoke & Mirrors,,,,"July 1, 2019",2016,TV-14,88 min,Dramas,Sam is put to the test '
        'in "Zookeeper\'s Challenge."',
    ]
    assert check(catalogue(tmp_path, *rows), "LA508") == []


# --- LA504: encoding damage ------------------------------------------------------------------

RATINGS_2017 = validate_mapping({"listings": {"columns": {
    "title": "title", "content_rating": "rating", "year": "release year"}}})
RATINGS_HEADER = ("title,rating,ratingLevel,ratingDescription,release year,user rating score,"
                  "user rating size")


def test_la504_mac_roman_file_with_cr_line_ends(tmp_path):
    # "Netflix Shows" (2017): UTF-8 titles once read as Windows-1252, then saved by a Mac
    # (Mac Roman bytes, CR line ends). The bytes below are the file's own.
    rows = [b"Pok\xcc\xa9mon: Indigo League,TV-Y,Suitable for all ages.,10,1998,NA,82",
            b"Gabriel lglesias: I\x89\xdb\xaam Sorry For What I Said,TV-MA,,110,2017,NA,80",
            b"Merl\xcc?,TV-PG,Parental guidance suggested.,70,2015,NA,82",
            b"What If?,TV-14,,90,2019,NA,82",
            b"Gilmore Girls,TV-PG,Parental guidance suggested.,70,2000,NA,82"]
    path = tmp_path / "Netflix Shows.csv"
    path.write_bytes(b"\r".join([RATINGS_HEADER.encode(), *rows]) + b"\r\n")
    findings = check(path, "LA504", mapping=RATINGS_2017)
    assert [(f.line, f.message) for f in findings] == [
        (2, "title \u201c\u00c3\u00a9\u201d looks like encoding damage (UTF-8 read as Windows-1252): "
            "repaired, it reads \u201cPok\u00e9mon\u201d"),
        (3, "title \u201c\u00e2\u20ac\u2122\u201d looks like encoding damage (UTF-8 read as "
            "Windows-1252): repaired, it reads \u201cI\u2019m\u201d"),
        (4, "title \u201c\u00c3?\u201d looks like encoding damage (a character lost in re-encoding)")]
    assert {f.severity for f in findings} == {WARNING}


def test_la504_near_misses_japanese_titles_and_real_accents(tmp_path):
    # Crunchyroll keeps some titles in Japanese script; Netflix titles carry real accents.
    rows = ['ts1,\u7fa9\u98a8\u5802\u3005!! \u5175\u7d9a\u3068\u6176\u6b21,SHOW,"Keiji and Kanetsugu '
            'ride again.",2013,TV-14,24,"[\'action\']",[\'JP\'],1,,,,1.0,7',
            'ts2,Pok\u00e9mon the Series: XY,SHOW,"Ash Ketchum\u2019s journey \u2014 in Kalos.",'
            '2013,TV-Y7,22,"[\'animation\']",[\'JP\'],1,,,,1.0,7',
            'ts3,What If?,SHOW,"Na\u00efve questions, answered.",2019,TV-14,24,"[\'comedy\']",'
            '[\'US\'],1,,,,1.0,7']
    path = catalogue(tmp_path, *rows, header=JUSTWATCH_HEADER)
    assert check(path, "LA504", mapping=JUSTWATCH) == []
