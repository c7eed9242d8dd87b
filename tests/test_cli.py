"""The command line, through its real entry point and once as a subprocess (issue 2, point 7)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, SEED


def test_check_terminal_report_groups_and_summarises(cli):
    result = cli("check", SEED, "--as-of", AS_OF)
    assert result.code == 1
    assert "Race to Mars" in result.out
    assert "LA101" in result.out and "eight-episode series" in result.out
    assert result.out.rstrip().splitlines()[-1].startswith(
        "3 errors, 7 warnings, 0 info in 1 file (1 listing, 4 episodes)")
    assert "\x1b[" not in result.out  # no colour when not a TTY


def test_fail_on_and_select_and_ignore(cli):
    assert cli("check", SEED, "--as-of", AS_OF, "--fail-on", "never").code == 0
    only = cli("check", SEED, "--as-of", AS_OF, "--select", "LA5", "--format", "json").json()
    assert {f["rule"] for f in only["findings"]} == {"LA501", "LA502", "LA503"}
    assert cli("check", SEED, "--as-of", AS_OF, "--select", "LA5").code == 0
    assert cli("check", SEED, "--as-of", AS_OF, "--select", "LA5", "--fail-on", "warning").code == 1
    named = cli("check", SEED, "--as-of", AS_OF, "--ignore", "episode-count-conflict,LA2",
                "--format", "json").json()
    assert not {f["rule"] for f in named["findings"]} & {"LA101", "LA201"}


def test_output_file(cli, tmp_path):
    target = tmp_path / "report.json"
    result = cli("check", SEED, "--as-of", AS_OF, "--format", "json", "--output", target)
    assert result.out == "" and result.code == 1
    assert json.loads(target.read_text())["summary"]["findings"]["error"] == 3


def test_stdin(cli, monkeypatch):
    import io

    class FakeStdin:
        buffer = io.BytesIO(SEED.read_bytes())

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    report = cli("check", "-", "--as-of", AS_OF, "--format", "json").json()
    assert report["findings"][0]["path"] == "<stdin>"
    assert report["summary"]["listings"] == 1


@pytest.mark.parametrize("args,message", [
    (["check", "x", "--format", "pdf"], "--format 'pdf'"),
    (["check", "x", "--fail-on", "sometimes"], "--fail-on"),
    (["check", "x", "--as-of", "24/11/2026"], "--as-of"),
    (["check", "x", "--select", "LA999"], "LA999"),
    (["check", "x", "--frobnicate"], "frobnicate"),
    (["explain", "LA999"], "no rule"),
    (["check"], "Missing argument"),
])
def test_usage_errors_exit_2_with_one_line(cli, args, message):
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("listing-audit: error:")
    assert message in lines[0]
    assert "Traceback" not in result.err


def test_broken_rule_file_exits_2_naming_file_rule_and_problem(cli, tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "rules:\n  - id: XX101\n    name: my-rule\n    severity: error\n    summary: s\n"
        "    rationale: r\n    example: e\n    message: m\n    check:\n      kind: pattern\n"
        "      fields: [title]\n      patterns: [{regex: '(unclosed'}]\n")
    result = cli("check", SEED, "--rules", tmp_path)
    assert result.code == 2
    assert "mine.yaml" in result.err and "XX101" in result.err and "invalid regex" in result.err


def test_rule_files_never_execute_code(cli, tmp_path):
    (tmp_path / "evil.yaml").write_text("rules: !!python/object/apply:os.system ['touch pwned']\n")
    result = cli("check", SEED, "--rules", tmp_path)
    assert result.code == 2 and "not valid YAML" in result.err
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_missing_file_is_reported_and_others_still_audited(cli, tmp_path):
    report = cli("check", SEED, tmp_path / "nope.txt", "--as-of", AS_OF, "--format", "json").json()
    assert report["summary"]["files"] == 1 and report["summary"]["skipped"] == 1
    la001 = [f for f in report["findings"] if f["rule"] == "LA001"]
    assert len(la001) == 1 and "no such file" in la001[0]["message"]
    assert any(f["rule"] == "LA101" for f in report["findings"])


def test_bad_files_in_a_directory_do_not_stop_the_run(cli, tmp_path):
    shutil.copy(SEED, tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.txt").write_bytes(os.urandom(4096).replace(b"\n", b"") + bytes(range(32)) * 50)
    (tmp_path / "notes.md").write_text("not a listing")  # not matched by the default globs
    result = cli("check", tmp_path, "--as-of", AS_OF, "--format", "json")
    report = result.json()
    assert report["summary"]["files"] == 1 and report["summary"]["skipped"] == 2
    skipped = {Path(f["path"]).name: f["reason"] for f in report["files"] if f["status"] == "skipped"}
    assert set(skipped) == {"empty.txt", "noise.txt"}
    assert result.code == 1


def test_rules_and_explain(cli):
    listing = cli("rules")
    assert listing.code == 0
    for rule_id in ("LA001", "LA101", "LA305", "LA506", "LA507", "LA603"):
        assert rule_id in listing.out
    explained = cli("explain", "LA101")
    assert explained.code == 0
    assert "episode-count-conflict" in explained.out and "Example" in explained.out
    assert cli("explain", "duplicated-synopsis").out.startswith("LA201 duplicated-synopsis")


def test_synopsis_markup_is_printed_as_text(cli, tmp_path):
    page = SEED.read_text().replace("China has stunned", "[bold red]China[/] <script>x</script> has stunned")
    (tmp_path / "p.txt").write_text(page)
    out = cli("check", tmp_path / "p.txt", "--as-of", AS_OF).out
    assert "[bold red]China[/]" in out


def test_real_subprocess_entry_point(tmp_path):
    exe = Path(sys.executable).parent / "listing-audit"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "audit"]
    done = subprocess.run([*command, "check", str(SEED), "--as-of", AS_OF, "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["findings"]["error"] == 3
    bad = subprocess.run([*command, "check", str(SEED), "--fail-on", "x"], capture_output=True,
                         text=True, cwd=ROOT)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_report_files_beside_the_printed_report(cli, tmp_path):
    targets = [tmp_path / n for n in ("r.json", "r.html", "r.sarif", "r.xml", "r.md")]
    result = cli("check", SEED, "--as-of", AS_OF, *[a for t in targets for a in ("--report", t)])
    assert result.code == 1 and "LA101" in result.out
    assert json.loads(targets[0].read_text())["summary"]["findings"]["error"] == 3
    assert targets[1].read_text().lstrip().lower().startswith("<!doctype html")
    assert json.loads(targets[2].read_text())["version"] == "2.1.0"
    assert targets[3].read_text().startswith("<?xml")
    assert "LA101" in targets[4].read_text()
    bad = cli("check", SEED, "--report", tmp_path / "r.pdf")
    assert bad.code == 2 and "r.pdf" in bad.err


def test_report_command_re_renders_a_saved_json_report(cli, tmp_path):
    saved = tmp_path / "results.json"
    cli("check", SEED, "--as-of", AS_OF, "--format", "json", "--output", saved)
    html = tmp_path / "report.html"
    assert cli("report", saved, "--format", "html", "--output", html).code == 1  # as check exits
    direct = cli("check", SEED, "--as-of", AS_OF, "--format", "html").out
    assert html.read_text() == direct
    assert cli("report", saved).out == cli("check", SEED, "--as-of", AS_OF).out
    (tmp_path / "junk.json").write_text("{\"a\": 1}")
    bad = cli("report", tmp_path / "junk.json")
    assert bad.code == 2 and "not a listing-audit JSON report" in bad.err
    assert cli("report", tmp_path / "missing.json").code == 2


def test_colour_only_on_a_tty_without_no_color(monkeypatch):
    from audit import cli as cli_module
    from audit.report import render

    class Tty:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module._use_color(None) is True
    assert cli_module._use_color(Path("out.txt")) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module._use_color(None) is False
    report = json.loads((ROOT / "tests" / "golden" / "seed-report.json").read_text())
    assert "\x1b[" in render(report, "terminal", color=True)
    assert "\x1b[" not in render(report, "terminal", color=False)


def test_report_command_selects_and_gates_like_check(cli, tmp_path):
    saved = tmp_path / "results.json"
    cli("check", SEED, "--as-of", AS_OF, "--format", "json", "--output", saved)
    for args in (["--select", "LA5"], ["--ignore", "LA1,LA2,LA3"], ["--fail-on", "never"],
                 ["--select", "LA5", "--fail-on", "warning"], ["--select", "LA101"]):
        again = cli("report", saved, "--format", "json", *args)
        direct = cli("check", SEED, "--as-of", AS_OF, "--format", "json", *args)
        assert again.code == direct.code, args
        assert [f["rule"] for f in again.json()["findings"]] == \
            [f["rule"] for f in direct.json()["findings"]], args
        assert again.json()["summary"]["findings"] == direct.json()["summary"]["findings"], args
        assert again.json()["summary"]["failing"] == direct.json()["summary"]["failing"], args
    bad = cli("report", saved, "--select", "LA1O1")
    assert bad.code == 2 and "did you mean LA101?" in bad.err


@pytest.mark.parametrize("token,suggestion", [("LA1O1", "LA101"), ("episode-count-conflcit",
                                                                    "episode-count-conflict")])
def test_unknown_rules_suggest_the_nearest(cli, token, suggestion):
    for args in (["check", SEED, "--select", token], ["check", SEED, "--ignore", token],
                 ["explain", token]):
        done = cli(*args)
        assert done.code == 2 and f"did you mean {suggestion}?" in done.err, args


def test_a_run_that_reads_no_input_exits_2(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "notes.md").write_text("# notes\n")
    for args in ([empty], [tmp_path / "only"], [SEED.parent, "--include", "*.nothing"]):
        done = cli("check", *args, "--as-of", AS_OF)
        assert done.code == 2 and done.out == "", args
        lines = done.err.strip().splitlines()
        assert len(lines) == 1 and "no input to read" in lines[0], args


def test_extensions_match_whatever_their_case(cli, tmp_path):
    shutil.copy(SEED, tmp_path / "PAGE.TXT")
    shutil.copy(ROOT / "fixtures" / "formats" / "catalogue.csv", tmp_path / "titles.CSV")
    report = cli("check", tmp_path, "--as-of", AS_OF, "--format", "json").json()
    assert sorted(Path(f["path"]).name for f in report["files"]) == ["PAGE.TXT", "titles.CSV"]
    assert {f["format"] for f in report["files"]} == {"page", "csv"}


def test_an_unreadable_file_fails_the_gate_whatever_is_selected(cli, tmp_path):
    (tmp_path / "broken.json").write_text('{"title": "x",', encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    selected = cli("check", tmp_path, "--as-of", AS_OF, "--select", "LA5", "--format", "json")
    assert selected.code == 1
    assert [f["rule"] for f in selected.json()["findings"] if f["severity"] == "error"] == ["LA001"]
    for ignore in ("LA001", "unreadable-input", "LA0"):
        ignored = cli("check", tmp_path, "--as-of", AS_OF, "--select", "LA5", "--ignore", ignore)
        assert ignored.code == 0, ignore


def test_stdin_filename_names_standard_input_everywhere(cli, monkeypatch):
    import io

    class FakeStdin:
        buffer = io.BytesIO(SEED.read_bytes())

    for fmt in ("json", "concise", "terminal", "sarif", "junit", "markdown", "github", "html"):
        FakeStdin.buffer.seek(0)
        monkeypatch.setattr(sys, "stdin", FakeStdin())
        done = cli("check", "-", "--stdin-filename", "shows/race-to-mars.txt", "--as-of", AS_OF,
                   "--format", fmt)
        assert done.code == 1, done.err
        assert "shows/race-to-mars.txt" in done.out and "<stdin>" not in done.out, fmt


def test_concise_output_one_line_per_finding_in_path_and_line_order(cli, tmp_path):
    rows = ["show_id,type,title,director,cast,country,date_added,release_year,rating,duration,"
            "listed_in,description"]
    for i in range(1, 13):
        title = "Feb-09" if i in (2, 10) else f"Show {i}"
        rows.append(f"s{i},TV Show,{title},,A,Kuwait,\"March 1, 2019\",2018,TV-14,1 Season,"
                    f"Dramas,Friends number {i} share a flat.")
    (tmp_path / "titles.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for flag in ("--format", "--output-format"):
        done = cli("check", tmp_path / "titles.csv", "--as-of", AS_OF, "--select", "LA506",
                   flag, "concise")
        lines = done.out.strip().splitlines()
        assert [line.split(":")[1] for line in lines[:-1]] == ["3", "11"]
        assert lines[0].startswith(f"{(tmp_path / 'titles.csv').as_posix()}:3:")
        assert " LA506 [warning] " in lines[0]
        assert lines[-1].startswith("0 errors, 2 warnings")
    terminal = cli("check", tmp_path / "titles.csv", "--as-of", AS_OF, "--select", "LA506").out
    assert terminal.index("    3:") < terminal.index("    11:")


def test_statistics_and_the_summary_per_rule(cli):
    full = cli("check", SEED, "--as-of", AS_OF).out
    stats = cli("check", SEED, "--as-of", AS_OF, "--statistics")
    assert stats.code == 1
    lines = stats.out.strip().splitlines()
    assert lines[0] == "Findings by rule"
    assert any(line.split()[:3] == ["4", "LA501", "warning"] and "in 1 file" in line
               for line in lines)
    assert "LA101" in stats.out and "eight-episode series" not in stats.out
    assert lines[-1] == full.strip().splitlines()[-1]
    # The full terminal report ends with the same table before its summary line.
    assert "\n".join(lines[:-1]).strip() in full


def test_date_dependent_messages_state_the_audit_date(cli):
    report = cli("check", SEED, "--as-of", AS_OF, "--format", "json").json()
    (status,) = [f for f in report["findings"] if f["rule"] == "LA301"]
    assert "as of 2026-11-24" in status["message"]
    undated = [f for f in report["findings"] if f["rule"] in ("LA201", "LA501", "LA502")]
    assert undated and not any(AS_OF in f["message"] for f in undated)
