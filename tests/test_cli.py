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
    assert cli("report", saved, "--format", "html", "--output", html).code == 0
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
