"""Markdown summary: content, truncation, and that untrusted text stays inert."""

from __future__ import annotations

import copy


from markdown_it import MarkdownIt

from audit.report import markdown
from reportcases import check_golden, load


def to_html(text: str) -> str:
    # CommonMark with raw HTML enabled, as GitHub renders it (before its own sanitiser).
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def test_golden_seed():
    check_golden("seed.md", markdown.render(load("seed")))


def test_golden_multi():
    check_golden("multi.md", markdown.render(load("multi")))


def test_totals_and_verdict():
    text = markdown.render(load("seed"))
    assert text.startswith("## listing-audit: 3 errors, 7 warnings, 0 info\n")
    assert "**Failing**: 3 findings at or above `error`." in text
    assert "Checked 1 file (1 listing, 4 episodes) as of 2026-11-24" in text


def test_rule_table_rows():
    page = to_html(markdown.render(load("seed")))
    assert "<td>LA501</td>\n<td>placeholder-title</td>\n<td>warning</td>\n" \
           '<td style="text-align:right">4</td>' in page
    # Errors before warnings, then by id.
    order = [rule for rule in ("LA101", "LA201", "LA301", "LA304", "LA501")
             if f"<td>{rule}</td>" in page]
    assert order == sorted(order)
    assert page.index("<td>LA301</td>") < page.index("<td>LA304</td>")


def test_findings_with_evidence_errors_first():
    text = markdown.render(load("seed"))
    assert "1. **error** `LA101` episode-count-conflict" in text
    assert "   - line 9 (description): `eight-episode series`" in text
    assert text.index("**error** `LA201`") < text.index("**warning** `LA502`")


def test_first_n_and_how_many_more(monkeypatch):
    monkeypatch.setattr(markdown, "MAX_FINDINGS", 4)
    text = markdown.render(load("seed"))
    assert "4. **warning**" in text and "5. **" not in text
    assert "…and 6 more findings not shown here" in text


def test_default_limit_is_fifty():
    report = load("seed")
    template = report["findings"][-1]
    report["findings"] = [copy.deepcopy(template) for _ in range(60)]
    text = markdown.render(report)
    assert "50. **warning**" in text and "51. **" not in text
    assert "…and 10 more findings not shown here" in text
    # Items with two-digit numbers keep their evidence nested (5 spaces, not 3).
    page = to_html(text)
    assert page.count("<ol") == 1


def test_listing_html_is_neutralised():
    page = to_html(markdown.render(load("multi")))
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_pipes_and_markup_in_table_cells_are_escaped():
    report = load("seed")
    for rule in report["rules"]:
        if rule["id"] == "LA101":
            rule["name"] = "count | *conflict* <b>x</b>"
    page = to_html(markdown.render(report))
    row = next(line for line in page.split("<tr>") if "LA101" in line)
    assert row.count("<td") == 4
    assert "count | *conflict* &lt;b&gt;x&lt;/b&gt;" in row
    assert "<em>" not in row and "<b>" not in row


def test_backticks_in_evidence_stay_in_the_code_span():
    assert markdown.code("a `b` c") == "``a `b` c``"
    assert markdown.code("`x`") == "`` `x` ``"
    page = to_html(f"x {markdown.code('`x`')}")
    assert "<code>`x`</code>" in page


def test_waived_and_baselined_are_marked_and_listed_last():
    text = markdown.render(load("multi"))
    assert "_waived: Upstream feed bug FEED-12, fixed in next export (by editor@example.com, " \
           "until 2027-01-01)_" in text
    assert "_baselined_" in text
    assert text.index("`LA505`") < text.index("`LA401`")
    assert "Accepted: 1 baselined finding and 1 waived finding" in text
    assert "- `fixtures/notes.docx`: unsupported file type .docx" in text


def test_no_findings():
    report = load("seed")
    report["findings"] = []
    report["summary"].update(findings={"error": 0, "warning": 0, "info": 0}, failing=0)
    text = markdown.render(report)
    assert "**Passing**: no findings at or above `error`." in text
    assert "No findings." in text and "### Findings" not in text


def test_cli_seed_golden(cli_seed):
    text = markdown.render(cli_seed)
    check_golden("cli-seed.md", text)
    assert text.count("**error**") == cli_seed["summary"]["findings"]["error"]


def test_rule_severity_comes_from_the_findings():
    # LA201 defaults to warning but is an error when one synopsis covers every episode.
    report = load("seed")
    extra = copy.deepcopy(next(f for f in report["findings"] if f["rule"] == "LA201"))
    extra["severity"] = "warning"
    report["findings"].append(extra)
    page = to_html(markdown.render(report))
    assert "<td>LA201</td>\n<td>duplicated-synopsis</td>\n<td>error, warning</td>" in page
