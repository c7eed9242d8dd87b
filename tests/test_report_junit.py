"""JUnit XML: one suite per file, unique case names, well-formed whatever the text."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET


from audit.report import junit
from reportcases import check_golden, load


def parse(report: dict) -> ET.Element:
    return ET.fromstring(junit.render(report).encode("utf-8"))


def suites(root: ET.Element) -> dict[str, ET.Element]:
    return {s.get("name"): s for s in root.findall("testsuite")}


def test_golden_seed():
    check_golden("seed.junit.xml", junit.render(load("seed")))


def test_golden_multi():
    check_golden("multi.junit.xml", junit.render(load("multi")))


def test_one_suite_per_file_with_counts():
    root = parse(load("multi"))
    found = suites(root)
    assert list(found) == ["fixtures/broken.json", "fixtures/catalogue 2024.jsonl",
                           "fixtures/clean.csv", "fixtures/notes.docx"]
    catalogue = found["fixtures/catalogue 2024.jsonl"]
    assert (catalogue.get("tests"), catalogue.get("failures"), catalogue.get("skipped")) == \
        ("6", "3", "2")
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("9", "4", "3")


def test_failure_carries_message_type_and_evidence():
    root = parse(load("seed"))
    case = root.find("testsuite/testcase")
    assert case.get("name") == "LA101 Race to Mars @ line 9"
    assert case.get("classname") == "listing-audit.LA101"
    assert case.get("file") == "fixtures/race-to-mars.txt"
    failure = case.find("failure")
    assert failure.get("type") == "LA101"
    assert failure.get("message").startswith("Episode counts disagree: the description says 8")
    assert "line 9, column 252 [description/episode_count = 8]:\n    eight-episode series" \
        in failure.text
    assert "lines 29-44, column 1 [listed/episode_count = 4]" in failure.text
    assert len(root.findall(".//failure")) == 10


def test_clean_and_skipped_files_get_placeholder_cases():
    found = suites(parse(load("multi")))
    clean = found["fixtures/clean.csv"].findall("testcase")
    assert [c.get("name") for c in clean] == ["no findings in fixtures/clean.csv"]
    assert not list(clean[0])
    skipped = found["fixtures/notes.docx"].findall("testcase")
    assert skipped[0].find("skipped").get("message") == "unsupported file type .docx"


def test_file_level_finding_is_named_after_the_file():
    found = suites(parse(load("multi")))
    case = found["fixtures/broken.json"].find("testcase")
    assert case.get("name") == "LA001 fixtures/broken.json @ line 3"
    assert case.find("failure").get("type") == "LA001"


def test_info_passes_and_accepted_findings_are_skipped():
    found = suites(parse(load("multi")))
    cases = {c.get("classname"): c for c in found["fixtures/catalogue 2024.jsonl"]
             .findall("testcase")}
    info = cases["listing-audit.LA505"]
    assert info.find("failure") is None and info.find("skipped") is None
    assert "Trailing white space" in info.find("system-out").text
    waived = cases["listing-audit.LA401"].find("skipped")
    assert waived.get("message") == ("waived: Upstream feed bug FEED-12, fixed in next export "
                                     "(by editor@example.com, until 2027-01-01)")
    assert cases["listing-audit.LA203"].find("skipped").get("message").startswith("baselined")


def test_case_names_are_unique():
    report = load("seed")
    twin = copy.deepcopy(report["findings"][0])
    triplet = copy.deepcopy(twin)
    # A listing whose own title ends in " #2" must not collide with the disambiguated name.
    tricky = copy.deepcopy(twin)
    tricky["listing"]["title"] = "Race to Mars @ line 9 #2"
    tricky["line"] = None
    report["findings"][1:1] = [tricky, twin, triplet]
    names = [c.get("name") for c in parse(report).iter("testcase")]
    assert len(names) == len(set(names))
    assert names[:4] == ["LA101 Race to Mars @ line 9", "LA101 Race to Mars @ line 9 #2",
                         "LA101 Race to Mars @ line 9 #3", "LA101 Race to Mars @ line 9 #4"]


def test_escaping_and_illegal_characters():
    report = load("multi")
    finding = report["findings"][1]
    finding["message"] = 'bad\x00 \x0b"<&>\ud800 ]]> \ufffe ok'
    finding["evidence"][0]["text"] = "tab\tand\x1bescape"
    text = junit.render(report)
    root = ET.fromstring(text.encode("utf-8"))  # well-formed despite the input
    failure = next(c for c in root.iter("testcase") if c.get("classname") == "listing-audit.LA503")
    assert failure.find("failure").get("message") == 'bad "<&> ]]>  ok'
    assert "tab\tandescape" in failure.find("failure").text
    assert "<script>alert(1)</script>" in failure.get("name")
    assert "<script>" not in text  # escaped on the way out, restored by the parser


def test_deterministic():
    assert junit.render(load("multi")) == junit.render(load("multi"))


def test_cli_seed_golden(cli_seed):
    text = junit.render(cli_seed)
    check_golden("cli-seed.junit.xml", text)
    cases = ET.fromstring(text.encode("utf-8")).findall("testsuite/testcase")
    assert len(cases) == len(cli_seed["findings"])


def test_testcase_identities_are_unique_across_the_report(cli, tmp_path):
    import shutil
    import xml.etree.ElementTree as ET

    from conftest import AS_OF, SEED

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SEED, tmp_path / folder / "race-to-mars.txt")
        (tmp_path / folder / "clean.txt").write_text(
            "Harbour Lights\n\n  • 2019\n\nA quiet drama.\n", encoding="utf-8")
    done = cli("check", tmp_path, "--as-of", AS_OF, "--format", "junit")
    cases = ET.fromstring(done.out).iter("testcase")
    identities = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(identities) == len(set(identities)) > 20
