"""LA203 across a catalogue: one title twice is a duplicate; two shows sharing a title are not."""

from __future__ import annotations

import datetime as dt

from audit.engine import run_rules
from audit.ingest.base import Builder
from audit.ruleset import load_rules, select_rules
from audit.tables import build_tables


def _row(builder: Builder, show_id: str, title: str, description: str | None, line: int) -> None:
    listing = builder.listing(title, line=line, key=f"netflix:{show_id}", kind="series", year=2019)
    builder.claim(listing, "title", title.strip(), source="field", line=line, column=12, text=title)
    if description is not None:
        builder.claim(listing, "description", description, source="field", line=line, column=80,
                      text=description)


def _la203(rows) -> list:
    builder = Builder("titles.csv", "csv")
    for number, row in enumerate(rows, start=2):
        _row(builder, *row, line=number)
    rules = select_rules(load_rules(), ["LA203"], None)
    return run_rules(rules, build_tables([builder.result()]), as_of=dt.date(2026, 11, 24))


def test_same_title_and_description_twice_is_one_listing_twice():
    (finding,) = _la203([("s1", "Consequences", "Secrets bubble to the surface."),
                         ("s2", "Consequences ", "Secrets bubble to the surface.")])
    assert [e.line for e in finding.evidence] == [2, 3]


def test_shared_title_with_different_descriptions_is_two_shows():
    assert _la203([("s1", "WHAT / IF", "A scientist strikes an outrageous deal."),
                   ("s2", "What If?", "Four individuals at a crossroads in life.")]) == []


def test_same_external_id_is_a_duplicate_whatever_the_text():
    findings = _la203([("s1", "Dark", "A missing child."), ("s1", "Dark (2017)", "Time travel.")])
    assert len(findings) == 1 and findings[0].evidence[0].value == "netflix:s1"


def test_listings_without_titles_are_not_duplicates_of_each_other():
    builder = Builder("feed.json", "json")
    builder.listing(None, line=1, year=2019)
    builder.listing("", line=5, year=2019)
    rules = select_rules(load_rules(), ["LA203"], None)
    assert run_rules(rules, build_tables([builder.result()]), as_of=dt.date(2026, 11, 24)) == []


# --- a row id belongs to its catalogue ----------------------------------------------------

NETFLIX_HEADER = ("show_id,type,title,director,cast,country,date_added,release_year,rating,"
                  "duration,listed_in,description\n")
# Real first rows of two services' exports (Disney+ and Netflix 2019): both start at s1.
DISNEY = (NETFLIX_HEADER
          + 's1,Movie,Duck the Halls: A Mickey Mouse Christmas Special,"Alonso Ramirez Ramos, Dave Wasson",'
            '"Chris Diamantopoulos, Tony Anselmo",,"November 26, 2021",2016,TV-G,23 min,'
            '"Animation, Family","Join Mickey and the gang as they duck the halls!"\n'
          + 's2,Movie,Ernest Saves Christmas,John Cherry,"Jim Varney, Noelle Parker",,'
            '"November 26, 2021",1988,PG,91 min,Comedy,"Santa Claus passes his magic bag to a new St. Nic."\n')
NETFLIX = (NETFLIX_HEADER
           + 's1,TV Show,3%,,"João Miguel, Bianca Comparato",Brazil,"August 14, 2020",2020,TV-MA,'
             '4 Seasons,"International TV Shows, TV Dramas","In a future where the elite inhabit an island paradise."\n'
           + 's2,Movie,7:19,Jorge Michel Grau,"Demián Bichir, Héctor Bonilla",Mexico,'
             '"December 23, 2016",2016,TV-MA,93 min,"Dramas, International Movies",'
             '"After a devastating earthquake hits Mexico City, trapped survivors wait to be rescued."\n')


def _la203_files(tmp_path, *files, mapping=None) -> list[dict]:
    import json

    from audit.cli import main
    args = ["check", *map(str, files), "--format", "json", "--as-of", "2026-11-24",
            "--fail-on", "never", "--no-config", "--select", "LA203"]
    if mapping:
        args += ["--mapping", str(mapping)]
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(args)
    return json.loads(out.getvalue())["findings"]


def test_row_ids_of_two_services_do_not_collide(tmp_path):
    disney, netflix = tmp_path / "disney.csv", tmp_path / "netflix.csv"
    disney.write_text(DISNEY, encoding="utf-8")
    netflix.write_text(NETFLIX, encoding="utf-8")
    assert _la203_files(tmp_path, disney, netflix) == []


def test_a_row_id_twice_in_one_export_is_a_duplicate(tmp_path):
    twice = tmp_path / "netflix.csv"
    twice.write_text(NETFLIX + NETFLIX.splitlines(keepends=True)[1].replace("3%", "3 %"),
                     encoding="utf-8")
    (finding,) = _la203_files(tmp_path, twice)
    assert [e["line"] for e in finding["evidence"]] == [2, 4]
    assert finding["listing"]["key"] == f"{twice.as_posix()}:s1"


def test_a_mapping_names_one_catalogue_for_several_files(tmp_path):
    disney, netflix = tmp_path / "disney.csv", tmp_path / "netflix.csv"
    disney.write_text(DISNEY, encoding="utf-8")
    netflix.write_text(NETFLIX, encoding="utf-8")
    mapping = tmp_path / "one.yaml"
    mapping.write_text("catalogue: streaming\n", encoding="utf-8")
    findings = _la203_files(tmp_path, disney, netflix, mapping=mapping)
    # Within one catalogue s1 and s2 each name one listing, so each is there twice.
    assert sorted(f["listing"]["key"] for f in findings) == ["streaming:s1", "streaming:s2"]


def test_a_file_keeps_its_fingerprints_whatever_else_the_run_reads(tmp_path, monkeypatch):
    import json

    from audit.cli import main
    monkeypatch.chdir(tmp_path)
    (tmp_path / "netflix.csv").write_text(NETFLIX.replace(",TV-MA,4 Seasons", ",,4 Seasons"),
                                         encoding="utf-8")
    (tmp_path / "disney.csv").write_text(DISNEY, encoding="utf-8")

    def fingerprints(*files: str) -> set[str]:
        import contextlib
        import io
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main(["check", *files, "--format", "json", "--as-of", "2026-11-24", "--no-config",
                  "--fail-on", "never", "--select", "LA601"])
        return {f["fingerprint"] for f in json.loads(out.getvalue())["findings"]
                if f["path"] == "netflix.csv"}

    alone = fingerprints("netflix.csv")
    assert alone and fingerprints("disney.csv", "netflix.csv") == alone


# --- titles and descriptions compared as an editor would ---------------------------------

AGED = ("A middle-aged teacher turned meth maker partners with a former student to secure "
        "his family's future.")


def test_a_corrected_typo_and_a_truncated_copy_are_still_one_listing():
    (typo,) = _la203([("s1", "Breaking Bad", AGED),
                      ("s2", "Breaking Bad", AGED.replace("partners", "parnters"))])
    (cut,) = _la203([("s1", "Breaking Bad", AGED), ("s2", "Breaking Bad", AGED[:60] + "...")])
    (hyphen,) = _la203([("s1", "Breaking Bad", AGED),
                        ("s2", "\u201cBreaking  Bad\u201d", AGED.replace("middle-aged", "middle aged"))])
    assert len(typo.evidence) == len(cut.evidence) == len(hyphen.evidence) == 2


def test_different_series_sharing_a_title_and_year_stay_apart():
    # netflix_shows_2017.csv: "Bordertown" (2016) is two series, rated TV-14 and TV-MA.
    builder = Builder("Netflix Shows.csv", "csv")
    for line, rating in ((169, "TV-14"), (227, "TV-14"), (451, "TV-MA")):
        listing = builder.listing("Bordertown", line=line, year=2016)
        builder.claim(listing, "content_rating", rating, source="field", line=line, column=12,
                      text=rating)
    rules = select_rules(load_rules(), ["LA203"], None)
    (finding,) = run_rules(rules, build_tables([builder.result()]), as_of=dt.date(2026, 11, 24))
    assert [e.line for e in finding.evidence] == [169, 227]
    # Two descriptions of one length that differ in more than a slip are two shows.
    assert _la203([("s1", "Bordertown", "A detective moves his family to a town on the Russian border."),
                   ("s2", "Bordertown", "A detective moves his family to a city on the Mexican border.")]) == []
