"""GitHub workflow annotations: escaping, order, and the per-type display limit."""

from __future__ import annotations

import copy
import re


from audit.report import github
from reportcases import check_golden, load

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def annotations(text: str) -> list[tuple[str, dict[str, str], str]]:
    out = []
    for line in text.splitlines():
        match = COMMAND.match(line)
        if match:
            props = dict(p.split("=", 1) for p in match.group(2).split(","))
            out.append((match.group(1), props, match.group(3)))
    return out


def test_golden_seed():
    check_golden("seed.github.txt", github.render(load("seed")))


def test_golden_multi():
    check_golden("multi.github.txt", github.render(load("multi")))


def test_escaping():
    assert github.escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # other controls and line separators are shown, not written: Python's splitlines (and
    # some log viewers) break lines at U+001E and U+2028, and an ANSI escape recolours a log
    shown = github.escape_data("a\x1e::error::x\u2028::warning::y\x1b[2J")
    assert len(shown.splitlines()) == 1 and "\x1b" not in shown
    assert shown == "a\u241e::error::x<U+2028>::warning::y\u241b[2J"


def test_seed_annotation_properties():
    found = annotations(github.render(load("seed")))
    kind, props, message = found[0]
    assert kind == "error"
    assert props == {"file": "fixtures/race-to-mars.txt", "line": "9", "col": "252",
                     "endLine": "9", "endColumn": "272",
                     "title": "LA101 episode-count-conflict"}
    assert message.startswith("Episode counts disagree")
    assert "%0Aline 9: \u201ceight-episode series\u201d" in message


def test_errors_first_then_warnings_then_notices():
    report = load("multi")
    kinds = [kind for kind, _, _ in annotations(github.render(report))]
    assert kinds == ["error", "error", "warning", "warning", "notice"]
    seed_kinds = [kind for kind, _, _ in annotations(github.render(load("seed")))]
    assert seed_kinds == ["error"] * 3 + ["warning"] * 7


def test_each_annotation_is_one_line_and_properties_are_escaped():
    report = load("multi")
    finding = next(f for f in report["findings"] if f["rule"] == "LA101")
    finding["path"] = "data/a,b:c.jsonl"
    finding["message"] = "two\nlines with 50% and ::double colons"
    text = github.render(report)
    line = next(l for l in text.splitlines() if "a%2Cb%3Ac.jsonl" in l)
    assert "file=data/a%2Cb%3Ac.jsonl," in line
    assert "::two%0Alines with 50%25 and ::double colons" in line
    # The title property of every annotation carries rule id and name.
    assert all(p["title"].startswith("LA") for _, p, _ in annotations(text))


def test_accepted_findings_are_counted_not_annotated():
    text = github.render(load("multi"))
    titles = [p["title"] for _, p, _ in annotations(text)]
    assert not any(t.startswith(("LA203", "LA401")) for t in titles)
    assert "Not annotated: 1 baselined finding and 1 waived finding." in text


def test_totals_and_hidden_counts():
    report = load("seed")
    template = report["findings"][0]
    extra = []
    for i in range(12):
        finding = copy.deepcopy(template)
        finding["message"] = f"copy {i}"
        extra.append(finding)
    report["findings"] = extra + report["findings"]
    report["summary"]["findings"]["error"] = 15
    text = github.render(report)
    tail = [line for line in text.splitlines() if not line.startswith("::")]
    assert tail[0] == ("listing-audit: 15 errors, 7 warnings, 0 info in 1 file "
                       "(1 listing, 4 episodes)")
    assert "5 of 15 error annotations will not be shown" in tail[-1]
    assert "warning annotations" not in tail[-1]
    assert len(annotations(text)) == 22


def test_everything_shown_says_so():
    text = github.render(load("seed"))
    assert text.endswith("All 10 annotations will be shown (GitHub shows at most 10 of each "
                         "type per step).\n")


def test_no_findings():
    report = load("seed")
    report["findings"] = []
    report["summary"]["findings"] = {"error": 0, "warning": 0, "info": 0}
    report["summary"]["failing"] = 0
    text = github.render(report)
    assert not annotations(text)
    assert text.startswith("listing-audit: 0 errors, 0 warnings, 0 info in 1 file")


def test_cli_seed_golden(cli_seed):
    text = github.render(cli_seed)
    check_golden("cli-seed.github.txt", text)
    assert len(annotations(text)) == len(cli_seed["findings"])
